from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from setu.api.main import api

# The admin signs in through allauth so that two-factor authentication applies there too.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("setu.core.urls")),
    path("accounts/", include("setu.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("directory/", include("setu.directory.urls")),
    path("events/", include("setu.events.urls")),
    path("events/", include("setu.matchmaking.urls")),
    path("coordination/", include("setu.coordination.urls")),
    path("library/", include("setu.library.urls")),
    path("webhooks/", include("setu.webhooks.urls")),
    path("exchanges/", include("setu.exchanges.urls")),
    path("culture/", include("setu.culture.urls")),
    path("results/", include("setu.results.urls")),
    path("visit/", include("setu.tourism.urls")),
    path("privacy/", include("setu.privacy.urls")),
    path("admin/", admin.site.urls),
    # the public API and the account pages for its tokens
    path("api/v1/", api.urls),
    path("accounts/api-tokens/", include("setu.api.urls")),
]
