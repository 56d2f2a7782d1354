"""Who may apply to a programme, and who is a minor (decision 0013)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from setu.exchanges.models import ADULT_AGE, Programme


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years completed on ``day`` (someone born on 29 February turns a year older on
    1 March in common years)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def is_minor(date_of_birth: date, on: date) -> bool:
    """Under 18 on the day the application is made: the day their data is first processed."""
    return age_on(date_of_birth, on) < ADULT_AGE


def ineligibility(
    programme: Programme,
    *,
    date_of_birth: date,
    level: str,
    language_levels: dict[str, int],
) -> str | None:
    """Why the applicant may not apply to ``programme`` (a translated sentence), or None.

    Age limits apply on the programme's first day, when the student travels.
    """
    age = age_on(date_of_birth, programme.starts_on)
    if programme.min_age is not None and age < programme.min_age:
        return _("%(programme)s is for students aged %(age)s or over when it starts.") % {
            "programme": programme.display_title,
            "age": programme.min_age,
        }
    if programme.max_age is not None and age > programme.max_age:
        return _("%(programme)s is for students aged %(age)s or under when it starts.") % {
            "programme": programme.display_title,
            "age": programme.max_age,
        }
    if level != programme.level:
        return _("%(programme)s is for %(level)s students.") % {
            "programme": programme.display_title,
            "level": programme.get_level_display().lower(),
        }
    if language_levels.get(programme.language, 0) < programme.min_language_level:
        return _("%(programme)s needs %(language)s at level %(needed)s or above.") % {
            "programme": programme.display_title,
            "language": programme.get_language_display(),
            "needed": programme.language_level_label,
        }
    return None
