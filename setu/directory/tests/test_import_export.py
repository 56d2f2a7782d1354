"""Import of organisations and people from CSV/XLSX, and export of the filtered lists."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from setu.accounts.models import Role
from setu.accounts.tests.factories import UserFactory, add_membership, enrol_totp
from setu.algorithms.names import name_tokens, normalise_name
from setu.conftest import World
from setu.core import audit
from setu.core.models import AuditEntry, Visibility
from setu.core.timefmt import zone
from setu.directory import imports, services
from setu.directory.models import ImportBatch, NameToken, Organisation, Person, Sector
from setu.directory.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"


def twenty_organisations() -> list[list[Any]]:
    """A prefecture's sheet of 20 organisations, as Excel holds it: numbers typed as numbers
    (so the sector code "01" arrives as 1), sector codes mixed (ISIC, JSIC:, NIC:)."""
    with (FILES / "yamanashi_organisations.csv").open(encoding="utf-8", newline="") as file:
        rows: list[list[Any]] = list(csv.reader(file))
    numeric = [rows[0].index(key) for key in ("employees", "capital", "sectors")]
    for row in rows[1:]:
        for position in numeric:
            if row[position].isdigit():
                row[position] = int(row[position])
    return rows


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def upload(client: Client, data: bytes, name: str, target: str = "organisations") -> Any:
    return client.post(
        reverse("directory:import"), {"target": target, "file": SimpleUploadedFile(name, data)}
    )


def batch_from(response: Any) -> ImportBatch:
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    return ImportBatch.objects.get(pk=pk)


def page_text(response: Any) -> str:
    return response.content.decode()


# --- import: the happy path -------------------------------------------------------------------


def test_twenty_organisations_from_xlsx_end_to_end(world: World) -> None:
    client = world.client_for("officer_own")
    sheet = twenty_organisations()
    batch = batch_from(upload(client, xlsx_bytes(sheet), "yamanashi.xlsx"))
    assert batch.owner == world.prefecture
    assert not imports.has_errors(batch.errors), [imports.issue_text(e) for e in batch.errors]

    preview = client.get(reverse("directory:import_batch", args=[batch.pk]))
    assert "Import 20 organisations" in page_text(preview)
    assert "Kofu Seimitsu Kogyo K.K." in page_text(preview)
    # the preview survives a reload: it is stored, not kept in the session
    assert client.get(reverse("directory:import_batch", args=[batch.pk])).status_code == 200

    response = client.post(reverse("directory:import_commit", args=[batch.pk]))
    assert response.headers["Location"] == reverse("directory:import_result", args=[batch.pk])
    result = client.get(response.headers["Location"])
    assert "20 records" in page_text(result)

    names = [row[1] for row in sheet[1:]]
    imported = Organisation.objects.filter(name_en__in=names)
    assert imported.count() == 20
    assert {org.managed_by_id for org in imported} == {world.prefecture.pk}
    by_name = {org.name_en: org for org in imported}
    kofu = by_name["Kofu Seimitsu Kogyo K.K."]
    assert (kofu.kind, kofu.region_id, kofu.city.key) == ("company", "JP-19", "jp-kofu")
    assert kofu.website == "https://kofu-seimitsu.example.jp"
    assert kofu.original_language == "ja" and kofu.name_ja_kana == "コウフセイミツコウギョウ"
    assert set(kofu.sectors.values_list("code", flat=True)) == {"25", "28"}  # JSIC:26 → 28
    assert kofu.is_sme is True
    assert by_name["Sagami Robotics"].is_sme is False  # 1,200 staff and ¥5bn
    assert by_name["Kai Logistics"].is_sme is False  # services: over ¥50m and 100 staff
    assert by_name["Tsuru Auto Parts"].is_sme is False  # over both: 310 staff and ¥310m
    assert by_name["Fuefuki Peach Farm"].is_sme is None  # no industry group given
    assert by_name["Pune Industries Association"].is_sme is None  # Indian: the Act does not apply
    assert by_name["Minobu Tea Garden"].sectors.get().code == "01"
    assert by_name["Kofu Software Lab"].sectors.get().code == "62"
    assert by_name["Gujarat Agro Exports"].capital_currency == "INR"
    tokens = set(name_tokens(kofu.name_en)) | set(name_tokens(kofu.name_ja))
    assert set(kofu.name_tokens.values_list("token", flat=True)) == tokens
    assert kofu.name_key == normalise_name("Kofu Seimitsu Kogyo K.K.")
    # audited: one entry per record and one for the batch
    actions = AuditEntry.objects.filter(action="directory.organisation.imported")
    assert actions.count() == 20
    assert AuditEntry.objects.filter(
        action="directory.import.committed",
        content_type=ContentType.objects.get_for_model(ImportBatch),
        owner=world.prefecture,
    ).exists()
    batch.refresh_from_db()
    assert batch.committed_at is not None
    # the private one is visible to its managing prefecture's officer
    listed = client.get(reverse("directory:organisations"), {"q": "Fuefuki"})
    assert "Fuefuki Peach Farm" in page_text(listed)


def test_bulk_import_derives_what_organisation_refresh_derived_would(world: World) -> None:
    client = world.client_for("officer_own")
    sheet = twenty_organisations()
    batch = batch_from(upload(client, xlsx_bytes(sheet), "y.xlsx"))
    client.post(reverse("directory:import_commit", args=[batch.pk]))
    for organisation in Organisation.objects.filter(name_en__in=[row[1] for row in sheet[1:]]):
        before = (
            organisation.is_sme,
            organisation.name_key,
            sorted(organisation.name_tokens.values_list("token", flat=True)),
        )
        services.organisation_refresh_derived(organisation=organisation)
        organisation.refresh_from_db()
        after = (
            organisation.is_sme,
            organisation.name_key,
            sorted(organisation.name_tokens.values_list("token", flat=True)),
        )
        assert before == after, organisation.name_en


def test_shift_jis_csv_with_japanese_headers(world: World) -> None:
    rows = [
        [
            "名称",
            "英語名称",
            "フリガナ",
            "国",
            "都道府県・州",
            "都市",
            "従業員数",
            "資本金",
            "業種区分",
            "業種コード",
        ],
        [
            "株式会社山梨精機",
            "",
            "ヤマナシセイキ",
            "日本",
            "JP-19",
            "甲府",
            "45",
            "10,000,000",
            "製造業",
            "JSIC:25",
        ],
        [
            "南アルプス醸造合資会社",
            "Minami Alps Brewing",
            "",
            "JP",
            "JP-19",
            "",
            "12",
            "",
            "製造業",
            "11",
        ],
    ]
    data = csv_text(rows).encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    client = world.client_for("officer_own")
    batch = batch_from(upload(client, data, "山梨.csv"))
    assert not imports.has_errors(batch.errors), [imports.issue_text(e) for e in batch.errors]
    client.post(reverse("directory:import_commit", args=[batch.pk]))
    seiki = Organisation.objects.get(name_ja="株式会社山梨精機")
    assert (seiki.name_ja_kana, seiki.country, seiki.city.key) == (
        "ヤマナシセイキ",
        "JP",
        "jp-kofu",
    )
    assert (seiki.employees, seiki.capital, seiki.is_sme) == (45, 10_000_000, True)
    assert seiki.original_language == "ja"
    assert (
        Organisation.objects.get(name_en="Minami Alps Brewing").name_ja == "南アルプス醸造合資会社"
    )


def test_utf8_bom_csv_of_people(world: World) -> None:
    rows = [
        [
            "Organisation",
            "Name_Latin",
            "name_native",
            "title",
            "email",
            "phone",
            "preferred_language",
        ],
        [
            "Kofu Precision K.K.",
            "Hanako Sato",
            "佐藤花子",
            "Export manager",
            "hanako＠example.jp",
            "055-237-1111",
            "日本語",
        ],
        [
            str(world.partner_org.pk),
            "Priya Deshpande",
            "प्रिया देशपांडे",
            "Director",
            "priya@example.in",
            "98200 12345",
            "hi",
        ],
    ]
    data = "\ufeff".encode() + csv_text(rows).encode()
    client = world.client_for("officer_own")
    batch = batch_from(upload(client, data, "contacts.csv", target="people"))
    assert not imports.has_errors(batch.errors), [imports.issue_text(e) for e in batch.errors]
    client.post(reverse("directory:import_commit", args=[batch.pk]))
    hanako = Person.objects.get(name_latin="Hanako Sato")
    assert (hanako.organisation, hanako.owner) == (world.company, world.prefecture)
    assert (hanako.name_native, hanako.email, hanako.phone) == (
        "佐藤花子",
        "hanako@example.jp",
        "+81552371111",
    )
    assert (hanako.preferred_language, hanako.visibility) == ("ja", Visibility.PRIVATE)
    priya = Person.objects.get(name_latin="Priya Deshpande")
    assert (priya.organisation, priya.phone, priya.name_native) == (
        world.partner_org,
        "+919820012345",
        "प्रिया देशपांडे",
    )
    assert AuditEntry.objects.filter(action="directory.person.imported").count() == 2


def test_the_templates_download_and_import_cleanly(world: World) -> None:
    client = world.client_for("officer_own")
    for target in ("organisations", "people"):
        response = client.get(reverse("directory:import_template", args=[target]))
        assert response["Content-Disposition"] == (
            f'attachment; filename="setu-{target}-template.csv"'
        )
        assert response.content.startswith("\ufeff".encode())
        batch = batch_from(upload(client, response.content, f"{target}.csv", target))
        assert not batch.errors, [imports.issue_text(e) for e in batch.errors]
    assert client.get("/directory/import/template/other.csv").status_code == 404


# --- import: problems -------------------------------------------------------------------------


def test_row_level_problems_are_listed_and_nothing_is_imported(world: World) -> None:
    services.organisation_refresh_derived(organisation=world.partner_org)  # "mumbai chamber"
    rows = [
        ["kind", "name_en", "country", "region", "sectors", "employees", "website", "notes"],
        ["company", "Kofu Gear Works", "JP", "JP-19", "25", "40", "", "ok"],  # row 2
        ["company", "Fuji Optics", "JP", "JP-19", "JSIC:999", "10", "", ""],  # row 3
        ["company", "KOFU GEAR WORKS LTD.", "JP", "JP-19", "25", "", "", ""],  # row 4
        ["prefecture", "Some Prefecture", "JP", "JP-19", "", "", "", ""],  # row 5
        ["company", "Nowhere Co", "JP", "JP-99", "", "", "", ""],  # row 6
        ["company", "", "JP", "JP-19", "", "", "", ""],  # row 7
        ["chamber", "Mumbai Chamber", "IN", "IN-MH", "", "", "", ""],  # row 8
        ["company", "Counting Co", "JP", "JP-19", "", "many", "not a site", ""],  # row 9
        ["company", "Delhi Tools", "IN", "JP-19", "", "", "", ""],  # row 10
    ]
    client = world.client_for("officer_own")
    batch = batch_from(upload(client, csv_text(rows).encode(), "problems.csv"))
    page = page_text(client.get(reverse("directory:import_batch", args=[batch.pk])))
    expected = [
        "row 3, column sectors: unknown sector code “JSIC:999”",
        "row 4, column name_en: the same organisation as row 2",
        "row 5, column kind: “prefecture” is not a kind you can import",
        "row 6, column region: no region has the code “JP-99”",
        "row 7, column name_en: give a name in at least one language",
        f"row 8, column name_en: “Mumbai Chamber” is already in the directory (id "
        f"{world.partner_org.pk}); link to it instead",
        "row 9, column employees: “many” is not a whole number",
        "row 9, column website: not a web address",
        "row 10, column region: region JP-19 is not in IN",
        "column notes: not a column we know; it is ignored",
    ]
    for message in expected:
        assert message in page, message
    assert "row 2," not in page
    assert '<button type="submit" class="button--secondary" disabled' in page
    before = Organisation.objects.count()
    response = client.post(reverse("directory:import_commit", args=[batch.pk]), follow=True)
    assert "The file has problems; nothing was imported." in page_text(response)
    assert Organisation.objects.count() == before
    batch.refresh_from_db()
    assert batch.committed_at is None


def test_people_problems(world: World) -> None:
    rows = [
        ["organisation", "name_latin", "email", "phone"],
        ["Kofu Precision K.K.", "Ichiro Suzuki", "ichiro@example", ""],  # row 2
        ["Kofu Precision K.K.", "Jiro Suzuki", "jiro@example.jp", "12345"],  # row 3
        ["Kofu Precision K.K.", "Jiro Again", "JIRO@example.jp", ""],  # row 4
        ["No Such Org", "Saburo", "", ""],  # row 5
        ["Kofu Precision K.K.", "", "", ""],  # row 6
    ]
    client = world.client_for("officer_own")
    batch = batch_from(upload(client, csv_text(rows).encode(), "people.csv", "people"))
    page = page_text(client.get(reverse("directory:import_batch", args=[batch.pk])))
    for message in [
        "row 2, column email: not an email address",
        "row 3, column phone: “12345” is not a phone number we can read",
        "row 4, column email: the same email address as row 3",
        "row 5, column organisation: no organisation you can see has the id or English name",
        "row 6, column name_latin: a value is required",
    ]:
        assert message in page, message
    # another prefecture's private company is as unknown as a missing one
    private = CompanyFactory.create(
        name_en="Shizuoka Secret Works", managed_by=world.other_prefecture, visibility="private"
    )
    rows = [["organisation", "name_latin"], [str(private.pk), "A"], [private.name_en, "B"]]
    batch = batch_from(upload(client, csv_text(rows).encode(), "p.csv", "people"))
    assert [issue["code"] for issue in batch.errors] == ["organisation_unknown"] * 2


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["kind", "country"], ["company", "JP"]],
            "Required columns are missing: name_en / name_ja / name_hi.",
        ),
        (
            [["name_en", "kind"], ["Kofu Co", "company"]],
            "Required columns are missing: country / region.",
        ),
        (
            [["name_en", "country", "名称", "name_ja"], ["A", "JP", "B", "C"]],
            "The column name_ja appears twice.",
        ),
        ([["name_en", "country"]], "The file has a header row but no rows under it."),
    ],
)
def test_file_level_problems_are_refused_and_nothing_is_stored(
    world: World, rows: list[list[str]], message: str
) -> None:
    client = world.client_for("officer_own")
    response = upload(client, csv_text(rows).encode(), "f.csv")
    assert response.status_code == 200
    assert message in page_text(response)
    assert not ImportBatch.objects.exists()


def _corrupt_xlsx() -> bytes:
    return b"PK\x03\x04" + b"\x14\x00" * 200


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 20,
            "setup.csv",
            "This is not a CSV or XLSX file.",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "report.csv", "This is not a CSV or XLSX file."),
        (b"name_en,country\n\x00\x01\x02", "nul.csv", "This is not a CSV or XLSX file."),
        (
            b"name_en,country\n\x80\xff\xfe\xfd,JP\n",
            "odd.csv",
            "neither UTF-8 nor Shift_JIS (CP932)",
        ),
        (b"name_en,country\n\x81\x20,JP\n", "cut.csv", "neither UTF-8 nor Shift_JIS (CP932)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "old.xls",
            "an old Excel file (.xls) or a password-protected workbook",
        ),
        (_corrupt_xlsx(), "broken.xlsx", "could not be read"),
        (b"", "empty.csv", "The submitted file is empty."),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused(
    world: World, data: bytes, name: str, message: str
) -> None:
    client = world.client_for("officer_own")
    response = upload(client, data, name)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not ImportBatch.objects.exists()


def test_size_and_row_limits(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    client = world.client_for("officer_own")
    big = b"name_en,country\n" + b"x" * (imports.MAX_BYTES + 1)
    assert "The file is larger than 5 MB." in page_text(upload(client, big, "big.csv"))
    monkeypatch.setattr(imports, "MAX_ROWS", 30)
    rows = [["name_en", "country"]] + [[f"Company {n}", "JP"] for n in range(31)]
    for data, name in [(csv_text(rows).encode(), "many.csv"), (xlsx_bytes(rows), "many.xlsx")]:
        response = upload(client, data, name)
        assert "The file has more than 30 rows." in page_text(response)
    assert not ImportBatch.objects.exists()


def test_row_numbers_are_the_spreadsheets_own(world: World) -> None:
    """Header = row 1; blank rows still count, as Excel numbers them."""
    rows = [["name_en", "country", "email"], ["A Co", "JP"], [], ["B Co", "XX"]]
    client = world.client_for("officer_own")
    batch = batch_from(upload(client, xlsx_bytes(rows), "gaps.xlsx"))
    assert [(issue["row"], issue["column"]) for issue in batch.errors if issue["row"]] == [
        (4, "country")
    ]


def test_messages_follow_the_readers_language(world: World) -> None:
    officer = world.users["officer_own"]
    officer.language = "ja"
    officer.save()
    rows = [["organisation", "name_latin", "email"], ["Kofu Precision K.K.", "Ken", "bad"]]
    client = world.client_for("officer_own")
    batch = batch_from(upload(client, csv_text(rows).encode(), "p.csv", "people"))
    page = page_text(client.get(reverse("directory:import_batch", args=[batch.pk])))
    issue = batch.errors[0]
    with translation.override("ja"):
        japanese = imports.issue_text(issue)
        translated = translation.gettext("not an email address") != "not an email address"
    assert japanese in page
    assert "2" in japanese and "email" in japanese
    if translated:  # the catalogs are completed centrally; until then English is shown
        assert "row 2, column email: not an email address" not in page
    else:
        assert "row 2, column email: not an email address" in page


# --- commit: once, by its creator, all or nothing ---------------------------------------------


def _clean_batch(client: Client) -> ImportBatch:
    rows = [["name_en", "country"], ["Alpha Works", "JP"], ["Beta Works", "JP"]]
    return batch_from(upload(client, csv_text(rows).encode(), "ok.csv"))


def test_a_batch_is_committed_once_and_only_by_its_creator(world: World) -> None:
    colleague = UserFactory.create(email="colleague@example.org")
    add_membership(colleague, world.prefecture, Role.PREFECTURE_OFFICER)
    enrol_totp(colleague)
    colleague_client = Client()
    colleague_client.force_login(colleague)
    client = world.client_for("officer_own")
    batch = _clean_batch(client)
    commit = reverse("directory:import_commit", args=[batch.pk])

    preview = colleague_client.get(reverse("directory:import_batch", args=[batch.pk]))
    assert "who uploaded the file, can import it" in page_text(preview)
    assert colleague_client.post(commit).status_code == 403
    assert world.client_for("officer_other").post(commit).status_code == 404
    assert world.client_for("secretariat").post(commit).status_code == 404
    assert client.get(commit).status_code == 405
    assert not Organisation.objects.filter(name_en="Alpha Works").exists()

    client.post(commit)
    response = client.post(commit, follow=True)
    assert "This file has already been imported." in page_text(response)
    assert Organisation.objects.filter(name_en="Alpha Works").count() == 1
    assert client.get(reverse("directory:import_batch", args=[batch.pk])).status_code == 302


def test_commit_checks_again_and_saves_nothing_on_new_problems(world: World) -> None:
    client = world.client_for("officer_own")
    batch = _clean_batch(client)
    # between preview and commit, a colleague adds "Beta Works"
    beta = CompanyFactory.create(name_en="Beta Works", managed_by=world.prefecture)
    services.organisation_refresh_derived(organisation=beta)
    response = client.post(reverse("directory:import_commit", args=[batch.pk]), follow=True)
    page = page_text(response)
    assert "nothing was imported" in page
    assert "row 3, column name_en: “Beta Works” is already in the directory" in page
    assert not Organisation.objects.filter(name_en="Alpha Works").exists()


def test_a_failure_while_saving_rolls_everything_back(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = world.client_for("officer_own")
    batch = _clean_batch(client)

    def fail(*args: Any, **kwargs: Any) -> None:
        # organisations, sector links and name tokens are written by now
        assert Organisation.objects.filter(name_en="Alpha Works").exists()
        raise IntegrityError("simulated failure while auditing")

    monkeypatch.setattr(imports, "_audit_each", fail)
    response = client.post(reverse("directory:import_commit", args=[batch.pk]), follow=True)
    assert "The import failed and nothing was saved." in page_text(response)
    assert not Organisation.objects.filter(name_en__in=["Alpha Works", "Beta Works"]).exists()
    assert not NameToken.objects.filter(token__in=name_tokens("Alpha Works")).exists()
    batch.refresh_from_db()
    assert batch.committed_at is None


def test_bulk_audit_entries_hold_what_audit_record_would(world: World) -> None:
    officer = world.users["officer_own"]
    client = world.client_for("officer_own")
    batch_from(upload(client, xlsx_bytes(twenty_organisations()[:2]), "one.xlsx"))
    client.post(reverse("directory:import_commit", args=[ImportBatch.objects.get().pk]))
    rows = [["organisation", "name_latin"], ["Kofu Precision K.K.", "Hanako Sato"]]
    people = batch_from(upload(client, csv_text(rows).encode(), "p.csv", "people"))
    client.post(reverse("directory:import_commit", args=[people.pk]))
    fields = ("actor", "content_type", "object_id", "object_repr", "owner", "changes")
    for record in (
        Organisation.objects.get(name_en="Kofu Seimitsu Kogyo K.K."),
        Person.objects.get(name_latin="Hanako Sato"),
    ):
        bulk = AuditEntry.objects.get(action__endswith=".imported", object_id=str(record.pk))
        single = audit.record(record, bulk.action, actor=officer, changes=bulk.changes)
        assert [getattr(bulk, f) for f in fields] == [getattr(single, f) for f in fields]
    assert bulk.changes["import_batch"] == [None, people.pk]
    assert bulk.changes["email"] == [None, ""]


def test_the_upload_page_lists_recent_imports(world: World) -> None:
    client = world.client_for("officer_own")
    _clean_batch(client)
    page = page_text(client.get(reverse("directory:import")))
    assert "ok.csv" in page and "Not imported" in page


# --- export -----------------------------------------------------------------------------------


@pytest.fixture
def listed(world: World) -> dict[str, Organisation]:
    """Companies officer_own sees, and one of another prefecture that it must never see."""
    sector = Sector.objects.get(code="25")
    shared = CompanyFactory.create(
        name_en="Shared Gear Co", managed_by=world.other_prefecture, visibility="partners"
    )
    shared.sectors.set([sector])
    own = CompanyFactory.create(
        name_en='=HYPERLINK("http://evil.example","click")',
        managed_by=world.prefecture,
        visibility=Visibility.PRIVATE,
        offers="+cmd|' /C calc'!A0",
        region_id="JP-19",
    )
    hidden = CompanyFactory.create(
        name_en="Hidden Shizuoka Works", managed_by=world.other_prefecture, visibility="private"
    )
    return {"shared": shared, "own": own, "hidden": hidden}


def _today(world: World) -> str:
    """The date in officer_own's time zone, as the export names its file."""
    officer = world.users["officer_own"]
    return timezone.localdate(timezone=zone(officer.time_zone)).isoformat()


def _csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def _xlsx_rows(response: Any) -> Any:
    data = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def test_export_csv_holds_exactly_the_filtered_visible_rows(
    world: World, listed: dict[str, Organisation]
) -> None:
    client = world.client_for("officer_own")
    response = client.get(
        reverse("directory:export"),
        {"kind": "company", "format": "csv", "columns": "id,name_en,region,sectors"},
    )
    assert response.status_code == 200
    today = _today(world)
    assert response["Content-Disposition"] == (
        f'attachment; filename="setu-organisations-{today}.csv"'
    )
    rows = _csv_rows(response)
    assert rows[0] == ["id", "name_en", "region", "sectors"]
    ids = {int(row[0]) for row in rows[1:]}
    assert ids == {world.company.pk, listed["shared"].pk, listed["own"].pk}
    assert listed["hidden"].pk not in ids
    assert "Hidden Shizuoka Works" not in str(rows)
    assert [listed["shared"].pk, "Shared Gear Co", "", "25"] in [
        [int(row[0]), *row[1:]] for row in rows[1:]
    ]
    # formula injection: the cell reads as text in Excel
    assert '\'=HYPERLINK("http://evil.example","click")' in [row[1] for row in rows]

    chambers = _csv_rows(
        client.get(reverse("directory:export"), {"kind": "chamber", "format": "csv"})
    )
    assert [row[1] for row in chambers[1:]] == ["Mumbai Chamber"]
    partner_rows = _csv_rows(
        world.client_for("partner").get(reverse("directory:export"), {"format": "csv"})
    )
    partner_names = {row[1] for row in partner_rows[1:]}
    assert "Shared Gear Co" in partner_names and "Kofu Precision K.K." not in partner_names


def test_export_xlsx_with_chosen_columns(world: World, listed: dict[str, Organisation]) -> None:
    client = world.client_for("officer_own")
    response = client.get(
        reverse("directory:export")
        + "?q=Gear&format=xlsx&columns=name_en&columns=offers&columns=sectors"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f'attachment; filename="setu-organisations-{_today(world)}.xlsx"'
    )
    sheet = _xlsx_rows(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("name_en", "sectors", "offers")
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["A"].width > 20
    names = {row[0] for row in rows[1:]}
    assert names == {"Shared Gear Co"}
    response = client.get(reverse("directory:export"), {"format": "xlsx", "q": "HYPERLINK"})
    sheet = _xlsx_rows(response)
    header = [cell.value for cell in sheet[1]]
    evil = sheet.cell(row=2, column=header.index("name") + 1)
    assert evil.value.startswith("=HYPERLINK") and evil.data_type == "s"  # text, not a formula
    assert "Hidden Shizuoka Works" not in str(list(sheet.values))


def test_export_form_when_no_format_and_bad_input(world: World) -> None:
    client = world.client_for("member")
    page = client.get(reverse("directory:export"), {"kind": "company", "page": "2"})
    assert page.status_code == 200
    text = page_text(page)
    assert '<input type="hidden" name="kind" value="company">' in text
    assert 'name="page"' not in text
    assert 'value="sectors"' in text and 'value="name_en"' in text
    bad = client.get(reverse("directory:export"), {"format": "pdf", "columns": "nope,<script>"})
    assert bad.status_code == 400
    assert "<script>" not in page_text(bad)
    odd_filter = client.get(reverse("directory:export"), {"format": "csv", "kind": "<x>"})
    assert odd_filter.status_code == 200
    assert client.get(reverse("directory:export")).status_code == 200
    assert Client().get(reverse("directory:export"), {"format": "csv"}).status_code == 302


@pytest.mark.parametrize("rows", [2, 60])
def test_export_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    sectors = list(Sector.objects.filter(code__in=["25", "28"]))
    for company in CompanyFactory.create_batch(
        rows, managed_by=world.prefecture, region_id="JP-19", visibility=Visibility.PARTNERS
    ):
        company.sectors.set(sectors)
    client = world.client_for("officer_own")
    columns = "id,name,region_name,city,sectors,managed_by,is_sme"
    # reference names (regions, sectors) are read once per process: the first export of a
    # fresh worker pays for them, whatever the number of rows
    client.get(reverse("directory:export"), {"format": "csv", "columns": columns})
    for fmt in ("csv", "xlsx"):
        with django_assert_max_num_queries(7):
            response = client.get(reverse("directory:export"), {"format": fmt, "columns": columns})
            body = b"".join(response.streaming_content)
        assert body


def _people(world: World) -> dict[str, Person]:
    return {
        "private": Person.objects.create(
            owner=world.prefecture, organisation=world.company, name_latin="Taro Private",
            email="taro@example.jp", phone="+81552371111", visibility=Visibility.PRIVATE,
        ),
        "shared": Person.objects.create(
            owner=world.prefecture, organisation=world.company, name_latin="Jiro Shared",
            email="jiro@example.jp", phone="+81552371112", visibility=Visibility.PARTNERS,
        ),
    }  # fmt: skip


def test_people_export_shows_contact_details_only_where_allowed(world: World) -> None:
    _people(world)
    columns = "name_latin,email,phone"
    own = _csv_rows(
        world.client_for("officer_own").get(
            reverse("directory:people_export"), {"format": "csv", "columns": columns}
        )
    )
    assert ["Jiro Shared", "jiro@example.jp", "'+81552371112"] in own
    assert ["Taro Private", "taro@example.jp", "'+81552371111"] in own
    partner = _csv_rows(
        world.client_for("partner").get(
            reverse("directory:people_export"), {"format": "csv", "columns": columns}
        )
    )
    assert partner == [["name_latin", "email", "phone"], ["Jiro Shared", "", ""]]
    sheet = _xlsx_rows(
        world.client_for("officer_other").get(
            reverse("directory:people_export"), {"format": "xlsx", "columns": columns, "q": "jiro"}
        )
    )
    assert list(sheet.values) == [
        ("name_latin", "email", "phone"),
        ("Jiro Shared", "jiro@example.jp", "+81552371112"),
    ]


@pytest.mark.parametrize("rows", [2, 60])
def test_people_export_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    Person.objects.bulk_create(
        Person(owner=world.prefecture, organisation=world.company, name_latin=f"P {n}",
               email=f"p{n}@example.jp", visibility=Visibility.PARTNERS)
        for n in range(rows)
    )  # fmt: skip
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("directory:people_export"), {"format": "csv"})
        body = b"".join(response.streaming_content)
    assert body.count(b"@example.jp") == rows
