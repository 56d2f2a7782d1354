"""The KPI dashboard's period, member and sector, and the annual report's request."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.coordination.forms.common import DATE
from setu.directory.models import Organisation, Sector
from setu.results.kpi import CONSORTIUM, current_fiscal_year
from setu.results.reports import kpi_members

MAX_DAYS = 366 * 10


def member_choices(user: Any) -> list[tuple[str, str]]:
    return [
        (CONSORTIUM, str(_("The consortium"))),
        *((str(m.pk), str(m)) for m in kpi_members(user=user)),
    ]


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, today included."""
    today = today or timezone.localdate()
    return today - timedelta(days=364), today


class KpiFilterForm(forms.Form):
    member = forms.ChoiceField(label=_("Member"))
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
    sector = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in kpi_members(user=user)}
        _choice_field(self, "member").choices = member_choices(user)
        _choice_field(self, "sector").choices = [("", _("All sectors"))] + [
            (s.code, f"{s.code} {s.display_name}")
            for s in Sector.objects.filter(parent__isnull=True).order_by("code")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The last day comes before the first."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a period of ten years at most."))
        return data

    def member_object(self) -> Organisation | None:
        return self.members.get(self.cleaned_data["member"])

    def sector_object(self) -> Sector | None:
        code = self.cleaned_data.get("sector")
        return Sector.objects.filter(code=code).first() if code else None


class AnnualReportForm(forms.Form):
    member = forms.ChoiceField(label=_("Member"))
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year (April to March)"), coerce=int)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("ja", _("Japanese")), ("en", _("English"))],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in kpi_members(user=user)}
        _choice_field(self, "member").choices = member_choices(user)
        this_year = current_fiscal_year()
        _choice_field(self, "fiscal_year").choices = [
            (year, f"{year}–{year + 1}") for year in range(this_year, this_year - 6, -1)
        ]

    def member_object(self) -> Organisation | None:
        return self.members.get(self.cleaned_data["member"])
