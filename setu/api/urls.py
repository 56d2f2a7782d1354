"""The account pages for tokens, under /accounts/api-tokens/."""

from django.urls import path

from setu.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
