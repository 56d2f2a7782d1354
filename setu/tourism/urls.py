from django.urls import path

from setu.tourism import views

app_name = "tourism"

urlpatterns = [
    path("", views.index, name="index"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("fairs/<int:event_pk>/booths/", views.fair_booths, name="fair_booths"),
    path(
        "fairs/<int:event_pk>/booths/<int:pk>/edit/", views.fair_booth_edit, name="fair_booth_edit"
    ),
    path(
        "fairs/<int:event_pk>/booths/<int:pk>/remove/",
        views.fair_booth_remove,
        name="fair_booth_remove",
    ),
    path("fairs/<int:event_pk>/trade-profile/", views.trade_profile, name="trade_profile"),
    path("<str:code>/", views.destination, name="destination"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/preview/", views.preview, name="preview"),
    path("<str:code>/publish/", views.publish, name="publish"),
    path("<str:code>/unpublish/", views.unpublish, name="unpublish"),
    path("<str:code>/places/add/", views.place_add, name="place_add"),
    path("<str:code>/festivals/add/", views.festival_add, name="festival_add"),
    path("<str:code>/itineraries/add/", views.itinerary_add, name="itinerary_add"),
    path("<str:code>/photos/add/", views.photo_add, name="photo_add"),
    path("<str:code>/<str:kind>/<int:pk>/remove/", views.part_remove, name="part_remove"),
]
