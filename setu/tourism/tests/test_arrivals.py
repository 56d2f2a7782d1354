"""``import_arrivals``: the exact CSV contract, whole-file refusal, replacing a month."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from setu.directory.models import Region
from setu.directory.reference import load_reference_data
from setu.tourism.arrivals import arrivals_year
from setu.tourism.models import ArrivalFigure

pytestmark = pytest.mark.django_db

GOOD = """region,year,month,country,visitors
JP-22,2026,4,IN,1830
JP-22,2026,4,CN,20000
JP-22,2025,4,IN,1200
JP-19,2026,5,IN,700
"""


@pytest.fixture(autouse=True)
def regions() -> None:
    if not Region.objects.exists():
        load_reference_data()


def _run(tmp_path: Path, text: str) -> tuple[str, str]:
    path = tmp_path / "arrivals.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_arrivals", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_every_row_and_says_how_many(tmp_path: Path) -> None:
    out, _err = _run(tmp_path, GOOD)
    assert out.strip() == "4 rows imported."
    assert ArrivalFigure.objects.count() == 4
    april = arrivals_year(region_ids=["JP-22"], year=2026)[3]
    assert (april.indian, april.indian_last_year, april.total) == (1830, 1200, 21830)
    assert april.share == 8.4


def test_importing_a_month_again_replaces_its_figure(tmp_path: Path) -> None:
    _run(tmp_path, GOOD)
    out, _err = _run(tmp_path, "region,year,month,country,visitors\nJP-22,2026,4,IN,1900\n")
    assert out.strip() == "1 rows imported."
    assert ArrivalFigure.objects.count() == 4
    assert (
        ArrivalFigure.objects.get(region="JP-22", year=2026, month=4, country="IN").visitors == 1900
    )


@pytest.mark.parametrize(
    ("row", "named"),
    [
        ("JP-99,2026,4,IN,10", "Row 3, column “region”: unknown region “JP-99”."),
        ("JP-22,2026,13,IN,10", "Row 3, column “month”: “13” is not a month (1 to 12)."),
        ("JP-22,2026,4,IN,-5", "Row 3, column “visitors”: “-5” is not a number of visitors"),
        ("JP-22,2026,4,India,5", "Row 3, column “country”"),
        ("JP-22,twenty,4,IN,5", "Row 3, column “year”"),
    ],
)
def test_one_wrong_row_refuses_the_whole_file(tmp_path: Path, row: str, named: str) -> None:
    text = f"region,year,month,country,visitors\nJP-19,2026,1,IN,10\n{row}\n"
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_arrivals", str(path), stderr=err)
    assert named in err.getvalue()
    assert not ArrivalFigure.objects.exists()


def test_the_exit_status_is_not_zero_on_a_wrong_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As from the shell: ``manage.py import_arrivals`` exits 1 and names row and column."""
    from django.core.management import ManagementUtility

    path = tmp_path / "bad.csv"
    path.write_text("region,year,month,country,visitors\nJP-22,2026,13,IN,1\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        ManagementUtility(["manage.py", "import_arrivals", str(path)]).execute()
    assert stopped.value.code == 1
    assert "Row 2, column “month”" in capsys.readouterr().err
    # (the command closes the database connections as it exits: nothing more is read here;
    # that a refused file writes nothing is the test above)


def test_a_wrong_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("prefecture,year,month,country,visitors\nJP-22,2026,1,IN,1\n", "utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_arrivals", str(path), stderr=err)
    assert "Row 1: the header must be “region,year,month,country,visitors”." in err.getvalue()


def test_the_same_month_twice_in_one_file_is_refused(tmp_path: Path) -> None:
    text = "region,year,month,country,visitors\nJP-22,2026,1,IN,1\nJP-22,2026,1,IN,2\n"
    path = tmp_path / "bad.csv"
    path.write_text(text, "utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_arrivals", str(path), stderr=err)
    assert "Row 3, column “region”: the same region, month and country as row 2." in err.getvalue()
