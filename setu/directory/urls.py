from django.urls import path

from setu.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
]
