from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from setu.accounts.models import User
from setu.core import audit, replica, selectors
from setu.core.params import date_param, int_param, text_param
from setu.core.principal import principal_for

# Browsers and crawlers ask for these at the site's root, not under /static/.
ROOT_FILES = {
    "favicon.ico": "image/x-icon",
    "robots.txt": "text/plain; charset=utf-8",
}


def root_file(request: HttpRequest, name: str) -> HttpResponse:
    """Serve a file of static/ at the site's root, cached for a day."""
    path = Path(settings.BASE_DIR) / "static" / name
    response = HttpResponse(path.read_bytes(), content_type=ROOT_FILES[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", selectors.dashboard_for(user=request.user))


def _no_response(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps the choice in their profile.

    Anonymous readers' switch carries no CSRF token, so their public pages hold nothing
    personal and nginx may keep them a few seconds (docs/operations.md, decision 0031): a
    forged switch could only change a cookie of the victim's own display language. Signed in,
    the choice is written to the account, and the token is checked as everywhere else."""
    if request.user.is_authenticated:
        # the middleware skipped this exempt view; checked for a plain callback, it does not
        refused = CsrfViewMiddleware(_no_response).process_view(request, _no_response, (), {})
        if refused is not None:
            return refused
    code = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if code not in dict(settings.LANGUAGES):
        messages.error(
            request, _("That language is not available. Choose English, 日本語 or हिन्दी.")
        )
        return response
    if isinstance(request.user, User) and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    translation.activate(code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@login_required
@permission_required("core.view_audit_log", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The secretariat reads every entry; an officer reads those of what their prefecture owns."""
    params = request.GET
    entries = selectors.audit_entries(
        user=request.user,
        action=text_param(params.get("action"), max_length=100),
        actor=text_param(params.get("actor"), max_length=200),
        content_type=int_param(params.get("type")),
        since=date_param(params.get("since")),
        until=date_param(params.get("until")),
    )
    page = Paginator(entries, 50).get_page(params.get("page"))
    types = ContentType.objects.filter(
        pk__in=selectors.audit_entries(user=request.user).values("content_type")
    ).order_by("model")
    return render(
        request,
        "core/audit_log.html",
        {
            "page": page,
            "types": types,
            "actions": sorted(
                ((code, audit.describe(code)) for code in audit.ACTION_SENTENCES),
                key=lambda pair: pair[1],
            ),
            "filters": params,
            "is_secretariat": principal_for(request.user).is_secretariat,
        },
    )


def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: the database and the cache answer (JSON, no auth).

    503 when the primary database or the cache fails; a lagging or absent replica is reported
    but is no failure (reads fall back to the primary).
    """
    checks: dict[str, Any] = {}
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        checks["database"] = "failed"
    try:
        cache.set("setu:healthz", "1", 10)
        checks["cache"] = "ok" if cache.get("setu:healthz") == "1" else "failed"
    except Exception:  # any cache backend error means "cache down"
        checks["cache"] = "failed"
    if "replica" in connections:
        state = replica.replica_state()
        checks["replica"] = {
            "usable": state.usable(settings.SETU_REPLICA_MAX_LAG_SECONDS),
            "lag_seconds": state.lag_seconds,
        }
    healthy = checks["database"] == "ok" and checks["cache"] == "ok"
    response = JsonResponse({"status": "ok" if healthy else "failed", **checks})
    response.status_code = 200 if healthy else 503
    response["Cache-Control"] = "no-store"
    return response
