"""Shared pieces of the coordination forms: widgets, choice fields, local times."""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms

from setu.accounts.models import User
from setu.core.timefmt import zone
from setu.directory.models import City, Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class OrganisationChoice(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class OrganisationMultipleChoice(forms.ModelMultipleChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class PersonChoice(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.email} ({obj.email})"


class CityChoice(forms.ModelChoiceField[City]):
    def label_from_instance(self, obj: City) -> str:
        region = f", {obj.region.display_name}" if obj.region_id and obj.region else ""
        return f"{obj.display_name}{region}"


def localise(day: date, clock: time, zone_name: str) -> datetime:
    """A wall-clock time in ``zone_name`` as an aware datetime."""
    return datetime.combine(day, clock, zone(zone_name))
