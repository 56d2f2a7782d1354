"""Small records shared by the coordination app: feed tokens and the reminder log."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.zones import zone_choices


def time_zone_choices() -> list[tuple[str, str]]:
    return zone_choices()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a user's calendar feed address. Resetting it invalidates the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    def rotate(self) -> None:
        self.token = _new_token()


class ReminderLog(models.Model):
    """One reminder sent, so that the cron job never sends it twice.

    ``key`` says which occasion the reminder was for ("rsvp", "overdue:2026-03-01"): a changed
    due date is a new occasion.
    """

    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=60)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient", "key"], name="coordination_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} → {self.recipient_id} ({self.key})"
