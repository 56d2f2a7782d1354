from django.urls import path

from setu.events import views, views_organiser

app_name = "events"

urlpatterns = [
    # reading
    path("", views.event_list, name="list"),
    path("calendar/", views.event_calendar, name="calendar"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    path("public.ics", views.feed_public, name="feed_public"),
    path("feed/<str:token>.ics", views.feed_personal, name="feed_personal"),
    # registering, my registrations and tickets
    path("<int:pk>/register/", views.event_register, name="register"),
    path("<int:pk>/register/check-email/", views.register_done, name="register_done"),
    path("confirm/<str:signed>/", views.confirm_email, name="confirm_email"),
    path("r/<str:token>/", views.registration_page, name="registration"),
    path("r/<str:token>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("r/<str:token>/claim/", views.registration_claim, name="registration_claim"),
    path("cancel/<str:signed>/", views.cancel_link, name="cancel_link"),
    path("tickets/<str:signed>/", views.ticket, name="ticket"),
    path("tickets/<str:signed>/qr.svg", views.ticket_qr, name="ticket_qr"),
    path("mine/", views.my_registrations, name="mine"),
    path("mine/feed/reset/", views.feed_reset, name="feed_reset"),
    # organisers
    path("new/", views_organiser.event_create, name="create"),
    path("<int:pk>/edit/", views_organiser.event_edit, name="edit"),
    path("<int:pk>/agenda/", views_organiser.event_agenda, name="agenda"),
    path("<int:pk>/categories/", views_organiser.event_categories, name="categories"),
    path("<int:pk>/questions/", views_organiser.event_questions, name="questions"),
    path("<int:pk>/registrations/", views_organiser.registration_list, name="registrations"),
    path(
        "<int:pk>/registrations/<int:registration_id>/<slug:action>/",
        views_organiser.registration_action,
        name="registration_action",
    ),
    path("<int:pk>/message/", views_organiser.event_message, name="message"),
    path("<int:pk>/export/", views_organiser.event_export, name="export"),
    path("<int:pk>/statistics/", views_organiser.event_statistics, name="statistics"),
    path("<int:pk>/check-in/", views_organiser.check_in, name="checkin"),
    path("<int:pk>/check-in/counts/", views_organiser.check_in_counts, name="checkin_counts"),
]
