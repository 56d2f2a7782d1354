from django.contrib import admin

from setu.tourism.models import ArrivalFigure, Booth, Destination, TradeProfile


@admin.register(Destination)
class DestinationAdmin(admin.ModelAdmin[Destination]):
    list_display = ["region", "owner", "published_at", "is_sample"]
    readonly_fields = ["published_at"]


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin[Booth]):
    list_display = ["event", "label", "organisation"]
    raw_id_fields = ["event", "organisation"]


@admin.register(TradeProfile)
class TradeProfileAdmin(admin.ModelAdmin[TradeProfile]):
    list_display = ["participant", "group_min", "group_max"]
    raw_id_fields = ["participant", "associations"]


@admin.register(ArrivalFigure)
class ArrivalFigureAdmin(admin.ModelAdmin[ArrivalFigure]):
    list_display = ["region", "year", "month", "country", "visitors", "is_sample"]
    list_filter = ["is_sample", "country"]
