from django.urls import path

from setu.exchanges import views

app_name = "exchanges"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.my_applications, name="mine"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/review/", views.review, name="review"),
    path("programmes/<int:pk>/order/", views.order_save, name="order"),
    path("scores/<int:pk>/", views.score_save, name="score"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/apply/", views.apply, name="apply"),
    path("rounds/<int:pk>/place/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/documents/", views.document_add, name="document_add"),
    path(
        "applications/<int:pk>/documents/<int:document>/",
        views.document_download,
        name="document",
    ),
    path("applications/<int:pk>/referees/", views.referee_ask, name="referee_ask"),
    path("applications/<int:pk>/consent/", views.consent_ask, name="consent_ask"),
    path("applications/<int:pk>/decline/", views.placement_decline, name="decline"),
    path("referee/<str:token>/", views.referee_answer, name="referee"),
    path("consent/<str:token>/", views.consent_answer, name="consent"),
]
