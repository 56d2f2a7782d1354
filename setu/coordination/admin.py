from django.contrib import admin

from setu.coordination.models import ActionItem, ClashNotice, Meeting, MeetingSeries, Mission


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin[MeetingSeries]):
    list_display = ["title_en", "title_ja", "owner", "cadence", "visibility"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ["title_en", "starts_at", "owner", "status", "minutes_published_at"]
    list_filter = ["status", "visibility"]
    search_fields = ["title_en", "title_ja"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin[ActionItem]):
    list_display = ["title", "owner", "due_on", "status"]
    list_filter = ["status"]


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin[Mission]):
    list_display = ["title_en", "owner", "starts_on", "ends_on", "status", "visibility"]
    list_filter = ["status", "visibility"]
    search_fields = ["title_en", "title_ja"]


@admin.register(ClashNotice)
class ClashNoticeAdmin(admin.ModelAdmin[ClashNotice]):
    list_display = ["plan_a", "plan_b", "owner_a", "owner_b", "a_starts_on", "detected_at"]
