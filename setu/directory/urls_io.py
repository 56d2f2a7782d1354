from django.urls import path

from setu.directory import views_io

urlpatterns = [
    path("import/", views_io.import_upload, name="import"),
    path("import/template/<slug:target>.csv", views_io.import_template, name="import_template"),
    path("import/<int:pk>/", views_io.import_batch, name="import_batch"),
    path("import/<int:pk>/commit/", views_io.import_commit, name="import_commit"),
    path("import/<int:pk>/result/", views_io.import_result, name="import_result"),
    path("export/", views_io.organisation_export, name="export"),
    path("people/export/", views_io.people_export, name="people_export"),
]
