from django.contrib import admin

from setu.events.models import Attendee, Event, Registration


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ["title_en", "kind", "owner", "city", "starts_at", "visibility", "capacity"]
    list_filter = ["kind", "visibility"]
    search_fields = ["title_en", "title_ja", "title_hi"]
    raw_id_fields = ["owner", "city", "created_by"]


class AttendeeInline(admin.TabularInline[Attendee, Registration]):
    model = Attendee
    extra = 0
    fields = ["name", "email", "code", "active", "checked_in_at"]
    readonly_fields = ["code"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin[Registration]):
    list_display = ["name", "email", "event", "status", "waitlist_position", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "organisation_name"]
    raw_id_fields = ["event", "category", "booked_by", "organisation"]
    inlines = [AttendeeInline]
