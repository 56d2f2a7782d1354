from django.urls import path

from setu.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.root_file, {"name": "favicon.ico"}, name="favicon"),
    path("robots.txt", views.root_file, {"name": "robots.txt"}, name="robots_txt"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("language/", views.set_language, name="set_language"),
    path("audit/", views.audit_log, name="audit_log"),
    path("healthz", views.healthz, name="healthz"),
]
