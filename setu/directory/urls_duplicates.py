from django.urls import path

from setu.directory import views_duplicates as views

urlpatterns = [
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path(
        "duplicates/<int:first_pk>/<int:second_pk>/dismiss/",
        views.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
    path(
        "organisations/<int:pk>/merge-into/<int:into_pk>/",
        views.organisation_merge,
        name="organisation_merge",
    ),
    path("merges/", views.merge_history, name="merge_history"),
    path("organisations/<int:pk>/manage/", views.organisation_manage, name="organisation_manage"),
]
