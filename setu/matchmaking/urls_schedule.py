"""The organiser's scheduling, the participants' agendas and the meetings' outcomes.

Included under /events/ in the "matchmaking" namespace; ``pk`` is the event's id.
"""

from django.urls import path

from setu.matchmaking.views import agenda as views_agenda
from setu.matchmaking.views import interpreters as views_interpreters
from setu.matchmaking.views import schedule as views_schedule

RUN = "<int:pk>/matchmaking/schedule/runs/<int:run_id>/"

urlpatterns = [
    # organisers: runs, the draft, hand changes, publication
    path("<int:pk>/matchmaking/schedule/", views_schedule.schedule, name="schedule"),
    path("<int:pk>/matchmaking/schedule/run/", views_schedule.schedule_run, name="schedule_run"),
    path(
        "<int:pk>/matchmaking/schedule/reschedule/",
        views_schedule.schedule_reschedule,
        name="schedule_reschedule",
    ),
    path(RUN, views_schedule.schedule_detail, name="schedule_detail"),
    path(f"{RUN}status/", views_schedule.schedule_status, name="schedule_status"),
    path(f"{RUN}publish/", views_schedule.schedule_publish, name="schedule_publish"),
    path(f"{RUN}unpublish/", views_schedule.schedule_unpublish, name="schedule_unpublish"),
    path(f"{RUN}grid/", views_schedule.schedule_grid, name="schedule_grid"),
    path(f"{RUN}schedule.xlsx", views_schedule.schedule_export, name="schedule_export"),
    path(
        f"{RUN}meetings/<int:meeting_id>/move/",
        views_schedule.schedule_move,
        name="schedule_move",
    ),
    path(
        f"{RUN}meetings/<int:meeting_id>/remove/",
        views_schedule.schedule_remove,
        name="schedule_remove",
    ),
    path(
        f"{RUN}requests/<int:request_id>/place/",
        views_schedule.schedule_place,
        name="schedule_place",
    ),
    path("<int:pk>/matchmaking/outcomes/", views_schedule.outcome_summary, name="outcome_summary"),
    # interpreters
    path(
        "<int:pk>/matchmaking/interpreters/",
        views_interpreters.interpreters,
        name="interpreters",
    ),
    path(
        "<int:pk>/matchmaking/interpreters/<int:interpreter_id>/",
        views_interpreters.interpreter_edit,
        name="interpreter_edit",
    ),
    path(
        "<int:pk>/matchmaking/interpreters/<int:interpreter_id>/remove/",
        views_interpreters.interpreter_remove,
        name="interpreter_remove",
    ),
    path(
        "<int:pk>/matchmaking/interpreters/<int:interpreter_id>/agenda/",
        views_interpreters.interpreter_agenda,
        name="interpreter_agenda",
    ),
    # agendas
    path("<int:pk>/matchmaking/agenda/", views_agenda.agenda, name="agenda"),
    path(
        "<int:pk>/matchmaking/agenda/<int:participant_id>/",
        views_agenda.agenda_participant,
        name="agenda_participant",
    ),
    path(
        "<int:pk>/matchmaking/agenda/<int:participant_id>/print/",
        views_agenda.agenda_print,
        name="agenda_print",
    ),
    path(
        "<int:pk>/matchmaking/agenda/<int:participant_id>/meetings.ics",
        views_agenda.agenda_ics,
        name="agenda_ics",
    ),
    path("matchmaking/agenda-feed/<str:token>.ics", views_agenda.agenda_feed, name="agenda_feed"),
    # after the meetings
    path(
        "<int:pk>/matchmaking/meetings/<int:meeting_id>/outcome/",
        views_agenda.outcome_record,
        name="outcome_record",
    ),
    path(
        "<int:pk>/matchmaking/meetings/<int:meeting_id>/follow-up/",
        views_agenda.outcome_follow_up,
        name="outcome_follow_up",
    ),
]
