from django.urls import path

from setu.library import views, views_announcements, views_notifications, views_search

app_name = "library"

urlpatterns = [
    path("", views_search.home, name="home"),
    path("search/", views_search.search, name="search"),
    # documents and their versions
    path("documents/", views.document_list, name="documents"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/download/", views.download, name="download"),
    path("documents/<int:pk>/versions/new/", views.version_upload, name="version_upload"),
    path(
        "documents/<int:pk>/versions/<int:number>/download/",
        views.version_download,
        name="version_download",
    ),
    path(
        "documents/<int:pk>/versions/<int:number>/read-again/",
        views.extraction_retry,
        name="extraction_retry",
    ),
    path("documents/<int:pk>/file/", views.file_into_collection, name="file_into_collection"),
    # collections of working groups
    path("collections/", views.collection_list, name="collections"),
    path("collections/new/", views.collection_create, name="collection_create"),
    path("collections/<int:pk>/", views.collection_detail, name="collection"),
    path("collections/<int:pk>/edit/", views.collection_edit, name="collection_edit"),
    # market briefs
    path("briefs/", views.brief_list, name="briefs"),
    path("briefs/new/", views.brief_create, name="brief_create"),
    # announcements
    path("announcements/", views_announcements.announcement_list, name="announcements"),
    path("announcements/feed.atom", views_announcements.announcements_feed, name="feed"),
    path(
        "announcements/new/",
        views_announcements.announcement_create,
        name="announcement_create",
    ),
    path("announcements/<int:pk>/", views_announcements.announcement_detail, name="announcement"),
    path(
        "announcements/<int:pk>/edit/",
        views_announcements.announcement_edit,
        name="announcement_edit",
    ),
    # email
    path("notifications/", views_notifications.notification_preferences, name="notifications"),
    path("unsubscribe/<str:token>/", views_notifications.unsubscribe, name="unsubscribe"),
]
