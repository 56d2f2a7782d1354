from django.contrib import admin

from setu.library.models import (
    Announcement,
    Collection,
    Document,
    DocumentVersion,
    NotificationPreference,
    SearchEntry,
)


class VersionInline(admin.TabularInline[DocumentVersion, Document]):
    model = DocumentVersion
    extra = 0
    fields = ["number", "original_name", "size", "uploaded_by", "uploaded_at", "extraction_status"]
    readonly_fields = ["number", "original_name", "size", "uploaded_by", "uploaded_at"]
    fk_name = "document"


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin[Document]):
    list_display = ["display_title", "kind", "owner", "visibility", "language", "updated_at"]
    list_filter = ["kind", "visibility", "language"]
    search_fields = ["title_en", "title_ja", "title_hi"]
    raw_id_fields = ["owner", "organisations", "events", "missions", "meetings"]
    inlines = [VersionInline]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin[Announcement]):
    list_display = ["display_title", "owner", "visibility", "published_at", "pushed_at"]
    list_filter = ["visibility"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin[Collection]):
    list_display = ["display_name", "owner", "visibility"]
    filter_horizontal = ["members"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ["user", "frequency", "scope", "announcement_emails"]
    list_filter = ["frequency"]


@admin.register(SearchEntry)
class SearchEntryAdmin(admin.ModelAdmin[SearchEntry]):
    list_display = ["key", "source", "visibility", "owner_id", "date", "indexed_at"]
    list_filter = ["source", "visibility"]
    search_fields = ["key", "title_en", "title_ja", "title_hi"]
    readonly_fields = [field.name for field in SearchEntry._meta.fields]
