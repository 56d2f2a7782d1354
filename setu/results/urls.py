from django.urls import path

from setu.results import views, views_kpi, views_surveys

app_name = "results"

urlpatterns = [
    path("", views.board, name="board"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/new/", views.lead_create, name="lead_create"),
    path("leads/<int:pk>/", views.lead_detail, name="lead"),
    path("organisations/search/", views.organisation_search, name="organisation_search"),
    path("leads/<int:pk>/edit/", views.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/move/", views.lead_move, name="lead_move"),
    path("leads/<int:pk>/credits/", views.lead_credits, name="lead_credits"),
    path("leads/<int:pk>/deal/", views.deal_edit, name="deal"),
    path("from/meeting/<int:pk>/", views.lead_from_meeting, name="lead_from_meeting"),
    path(
        "from/registration/<int:pk>/", views.lead_from_registration, name="lead_from_registration"
    ),
    path("from/itinerary/<int:pk>/", views.lead_from_itinerary_item, name="lead_from_itinerary"),
    path("mous/", views.mou_list, name="mous"),
    path("mous/link/", views.mou_link_add, name="mou_link_add"),
    path("mous/<int:pk>/unlink/", views.mou_link_remove, name="mou_link_remove"),
    path("events/<int:pk>/costs/", views.event_costs, name="event_costs"),
    path("event-costs/<int:pk>/remove/", views.event_cost_remove, name="event_cost_remove"),
    path("surveys/", views_surveys.survey_list, name="surveys"),
    path("surveys/new/", views_surveys.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views_surveys.survey_detail, name="survey"),
    path("surveys/<int:pk>/send/", views_surveys.survey_send, name="survey_send"),
    path("survey/<str:token>/", views_surveys.survey_answer, name="survey_answer"),
    path("kpi/", views_kpi.kpi_dashboard, name="kpi"),
    path("kpi/export.xlsx", views_kpi.kpi_xlsx, name="kpi_xlsx"),
    path("kpi/reports/", views_kpi.annual_reports, name="kpi_reports"),
    path("kpi/reports/<int:pk>/", views_kpi.annual_report, name="kpi_report"),
    path("kpi/reports/<int:pk>/pdf/", views_kpi.annual_report_pdf, name="kpi_report_pdf"),
]
