from django.urls import path

from setu.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("notices/<str:purpose>/", views.notice, name="notice"),
    path("consent/", views.consent_change, name="consent"),
    path("export/", views.export_request, name="export_request"),
    path("export/<str:token>/", views.export_download, name="export"),
    path("erasure/", views.erasure, name="erasure"),
    path("grievances/new/", views.grievance_new, name="grievance_new"),
    path("dpo/", views.dpo, name="dpo"),
    path("dpo/grievances/<int:pk>/", views.dpo_grievance, name="dpo_grievance"),
    path("dpo/breaches/new/", views.breach_edit, name="breach_new"),
    path("dpo/breaches/<int:pk>/", views.breach_edit, name="breach"),
]
