"""What each user wants to hear about, and what was already sent to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once, one email per item")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest (Mondays)")
    OFF = "off", _("No emails")


class Scope(models.TextChoices):
    RELEVANT = "relevant", _("What concerns my organisation and its sectors")
    EVERYTHING = "everything", _("Everything I may read")


DEFAULT_FREQUENCY = Frequency.WEEKLY


class NotificationPreference(models.Model):
    """A user's choice; a user without a row gets the weekly digest of relevant items."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_preference"
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=DEFAULT_FREQUENCY
    )
    scope = models.CharField(
        _("about what"), max_length=12, choices=Scope.choices, default=Scope.RELEVANT
    )
    muted_sources = models.JSONField(
        default=list, blank=True, help_text="search source names left out of emails"
    )
    announcement_emails = models.BooleanField(
        _("announcements sent by email"),
        default=True,
        help_text=_("When the secretariat or a prefecture sends an announcement to everyone."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.frequency}"


class Channel(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate")
    DIGEST = "digest", _("Digest")
    PUSH = "push", _("Announcement email")


class SentNotification(models.Model):
    """One item told to one user, by whatever channel: never again (the no-duplicate rule)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=100)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "item_key"], name="library_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.item_key}"


class DigestRun(models.Model):
    """One digest per user and period ("2026-03-02" daily, "2026-W10" weekly)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=12)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="library_digest_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.period}"
