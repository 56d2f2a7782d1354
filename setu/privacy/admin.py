from typing import Any

from django.contrib import admin

from setu.privacy.models import Consent, Notice, Provision


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ["purpose", "version", "language", "title", "sample", "published_at"]
    list_filter = ["purpose", "language"]


class ReadOnly(admin.ModelAdmin[Any]):
    """The ledger and the provisions are append-only: the admin reads them, nothing more."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnly):
    list_display = ["recorded_at", "purpose", "action", "method", "given_by", "recipient"]
    list_filter = ["purpose", "action"]


@admin.register(Provision)
class ProvisionAdmin(ReadOnly):
    list_display = ["provided_at", "recipient", "country", "what"]
