"""Participants' and organisers' marketplace pages, under /events/<pk>/matchmaking/."""

from django.urls import path

from setu.matchmaking.views import market as views_market
from setu.matchmaking.views import setup as views_setup

urlpatterns = [
    # participants
    path("<int:pk>/matchmaking/", views_market.market_view, name="market"),
    path("<int:pk>/matchmaking/recommended/", views_market.recommended_view, name="recommended"),
    path("<int:pk>/matchmaking/join/", views_market.join, name="join"),
    path("<int:pk>/matchmaking/requests/", views_market.my_requests, name="requests"),
    path(
        "<int:pk>/matchmaking/requests/<int:request_id>/<slug:action>/",
        views_market.request_action,
        name="request_action",
    ),
    path(
        "<int:pk>/matchmaking/participants/<int:participant_id>/",
        views_market.participant_detail,
        name="participant",
    ),
    path(
        "<int:pk>/matchmaking/participants/<int:participant_id>/request/",
        views_market.request_create,
        name="request_create",
    ),
    path(
        "<int:pk>/matchmaking/participants/<int:participant_id>/edit/",
        views_market.profile_edit,
        name="profile",
    ),
    path(
        "<int:pk>/matchmaking/participants/<int:participant_id>/leave/",
        views_market.leave,
        name="leave",
    ),
    # organisers
    path("<int:pk>/matchmaking/setup/", views_setup.setup, name="setup"),
    path("<int:pk>/matchmaking/setup/tables/", views_setup.slot_tables, name="slot_tables"),
    path("<int:pk>/matchmaking/participants/", views_setup.participant_list, name="participants"),
    path(
        "<int:pk>/matchmaking/participants/add/",
        views_setup.participant_add,
        name="participant_add",
    ),
]
