from django.contrib import admin

from setu.matchmaking.models import (
    FollowUp,
    Matchmaking,
    Meeting,
    MeetingDay,
    MeetingRequest,
    Participant,
    ScheduleRun,
    Slot,
    Unplaced,
)


class MeetingDayInline(admin.TabularInline[MeetingDay, Matchmaking]):
    model = MeetingDay
    extra = 0


@admin.register(Matchmaking)
class MatchmakingAdmin(admin.ModelAdmin[Matchmaking]):
    list_display = ["event", "slot_minutes", "tables", "mode", "pair_rule", "requests_close_at"]
    raw_id_fields = ["event"]
    inlines = [MeetingDayInline]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin[Slot]):
    list_display = ["matchmaking", "index", "starts_at", "ends_at", "tables"]
    raw_id_fields = ["matchmaking"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin[Participant]):
    list_display = ["organisation", "matchmaking", "side", "active", "contact"]
    list_filter = ["side", "active"]
    search_fields = ["organisation__name_en", "organisation__name_ja", "offers", "needs"]
    raw_id_fields = ["matchmaking", "organisation", "contact"]
    filter_horizontal = ["sectors"]
    exclude = ["unavailable"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin[MeetingRequest]):
    list_display = ["requester", "recipient", "status", "priority", "created_at"]
    list_filter = ["status", "priority"]
    raw_id_fields = ["matchmaking", "requester", "recipient", "created_by"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin[ScheduleRun]):
    list_display = ["matchmaking", "status", "placed", "upper_bound", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["matchmaking", "based_on", "created_by", "published_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ["request", "run", "slot", "table", "online", "outcome"]
    raw_id_fields = ["run", "request", "slot", "no_show_by", "outcome_by"]


@admin.register(Unplaced)
class UnplacedAdmin(admin.ModelAdmin[Unplaced]):
    list_display = ["request", "run", "reason"]
    raw_id_fields = ["run", "request"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin[FollowUp]):
    list_display = ["meeting", "participant", "interest", "updated_at"]
    raw_id_fields = ["meeting", "participant", "created_by"]
