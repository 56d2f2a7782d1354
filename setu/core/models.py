"""Ownership, visibility and the audit log: the consortium's core rule as models."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: the owner only")
    CONSORTIUM = "consortium", _("Consortium: secretariat and member prefectures")
    PARTNERS = "partners", _("Partners: every organisation in the network")
    PUBLIC = "public", _("Public: everyone")


class OwnedQuerySet(models.QuerySet[Any]):
    """Querysets of records that carry an owner organisation and a visibility."""

    owner_field = "owner"

    def visible_to(self, user: User | AnonymousUser) -> Self:
        from setu.core.visibility import visibility_q

        return self.filter(visibility_q(user, owner_field=self.owner_field))


class OwnedModel(models.Model):
    """Abstract base: a record with an owner organisation and a visibility.

    Reads go through ``Model.objects.visible_to(user)``; see docs/architecture.md.
    """

    owner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PRIVATE,
        db_index=True,
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One write to a record that holds personal data or an agreement."""

    # set by the chain at append (it is part of the digest), hence not auto_now_add
    created_at = models.DateTimeField(
        _("when"), default=timezone.now, editable=False, db_index=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    owner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    changes = models.JSONField(_("what changed"), default=dict, blank=True)
    # The hash chain (docs/decisions/0020): ``digest`` is the SHA-256 of the entry's content,
    # ``chain_hash`` that of the previous entry's chain_hash followed by this digest. A
    # redacted entry keeps its digest; a later "core.audit.redacted" entry names it.
    digest = models.CharField(max_length=64, blank=True, editable=False)
    chain_hash = models.CharField(max_length=64, blank=True, editable=False)
    redacted = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def sentence(self) -> str:
        """The action as a sentence in the active language ("Invitation sent")."""
        from setu.core.audit import describe  # audit imports this module

        return describe(self.action)


class AuditChainHead(models.Model):
    """The one row that serialises appends to the audit chain and remembers its last link,
    so that removing the newest entries is detected too (docs/decisions/0020)."""

    last_entry_id = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"audit chain head: {self.last_entry_id}"


class ExchangeRate(models.Model):
    """A dated conversion rate: 1 unit of ``base`` = ``rate`` units of ``quote``."""

    base = models.CharField(_("from"), max_length=3)
    quote = models.CharField(_("to"), max_length=3)
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)
    valid_on = models.DateField(_("valid on"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["-valid_on"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["base", "quote", "valid_on"], name="rate_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.quote} ({self.valid_on})"
