"""Destination pages: the public pages (read from the published snapshot), and the editors'
working copy with its preview and publication."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.core.access import signed_in_user, user_or_none
from setu.directory.models import Language
from setu.tourism import selectors, services
from setu.tourism.content import page, pick, snapshot, structured_data
from setu.tourism.forms import (
    BoothForm,
    DestinationForm,
    FestivalForm,
    ItineraryForm,
    PhotoForm,
    PlaceForm,
    TradeProfileForm,
)
from setu.tourism.models import Booth, Destination, TradeProfile
from setu.tourism.rules import may_edit_destination

PAGE_CACHE_SECONDS = 24 * 3600


def _posted(request: HttpRequest) -> Any:
    """The POST data, also when empty: a form sent empty is bound (and says what is missing)."""
    return request.POST if request.method == "POST" else None


def _photo_url(pk: int) -> str:
    return reverse("tourism:photo", args=[pk])


def _page_context(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    view = page(data, get_language() or "en")
    url = request.build_absolute_uri(reverse("tourism:destination", args=[data["region"]]))
    return {
        "page": view,
        "original_language": Language(data["original_language"]).label,
        "structured_data": structured_data(
            view, url=url, photo_url=lambda pk: request.build_absolute_uri(_photo_url(pk))
        ),
        "canonical": url,
    }


def _parts(request: HttpRequest, data: dict[str, Any], *, preview: bool = False) -> dict[str, str]:
    """The page's head tags, its title and its body, rendered from a snapshot."""
    context = {**_page_context(request, data), "preview": preview}
    view = context["page"]
    return {
        "head_title": view["title"].text or data["region"],
        "head": render_to_string("tourism/partials/_head.html", context, request=request),
        "body": render_to_string("tourism/partials/_page.html", context, request=request),
    }


def _cached_parts(request: HttpRequest, stamp: selectors.Published) -> dict[str, str]:
    """The published page rendered once per language and publication: its snapshot changes
    only when it is published again (or a photo is taken down, which moves the stamp)."""
    key = ":".join(
        (
            "tourism-page",
            stamp.region_id,
            get_language() or "en",
            str(stamp.published_at.timestamp()),
            request.get_host(),
        )
    )
    parts = cache.get(key)
    if parts is None:
        parts = _parts(request, selectors.published_snapshot(stamp.pk))
        cache.set(key, parts, PAGE_CACHE_SECONDS)
    return parts


def index(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    pages = [
        {
            "code": row["region_id"],
            "title": pick(row["published"]["title"], language),
            "summary": pick(row["published"]["summary"], language),
            "photo": next((p for p in row["published"]["photos"] if not p["decorative"]), None),
            "is_sample": row["published"]["is_sample"],
        }
        for row in selectors.published_list()
    ]
    editable = (
        list(selectors.editable_prefectures(request.user)) if request.user.is_authenticated else []
    )
    return render(request, "tourism/index.html", {"pages": pages, "editable": editable})


def destination(request: HttpRequest, code: str) -> HttpResponse:
    stamp = selectors.published_get(code)
    parts = _cached_parts(request, stamp)
    may_edit = request.user.is_authenticated and may_edit_destination(request.user, stamp.owner_id)
    context = {
        "code": stamp.region_id,
        "may_edit": may_edit,
        "head_title": parts["head_title"],
        "head": mark_safe(parts["head"]),  # noqa: S308  # rendered by our own templates
        "body": mark_safe(parts["body"]),  # noqa: S308  # rendered by our own templates
    }
    return render(request, "tourism/destination.html", context)


@login_required
def preview(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.access_destination(user=request.user, region_code=code)
    parts = _parts(request, snapshot(found), preview=True)
    context = {
        "code": found.region_id,
        "preview": True,
        "may_edit": True,
        "problems": services.publish_problems(found),
        "head_title": parts["head_title"],
        "head": mark_safe(parts["head"]),  # noqa: S308  # rendered by our own templates
        "body": mark_safe(parts["body"]),  # noqa: S308  # rendered by our own templates
    }
    return render(request, "tourism/destination.html", context)


@login_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.access_destination(user=request.user, region_code=code)
    form = DestinationForm(_posted(request), instance=found)
    if request.method == "POST" and form.is_valid():
        services.destination_update(
            destination=found,
            data={name: form.cleaned_data[name] for name in form.changed_data},
            actor=signed_in_user(request),
        )
        messages.success(request, _("Saved. Nothing changes for readers until you publish."))
        return redirect("tourism:edit", code=found.region_id)
    return render(
        request,
        "tourism/edit.html",
        {
            "destination": found,
            "form": form,
            "places": found.places.all(),
            "festivals": found.festivals.all(),
            "itineraries": found.itineraries.prefetch_related("days__places"),
            "photos": found.photos.all(),
            "problems": services.publish_problems(found),
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.access_destination(user=request.user, region_code=code)
    try:
        services.destination_publish(destination=found, actor=signed_in_user(request))
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        messages.error(request, _("Nothing was published."))
        return redirect("tourism:edit", code=found.region_id)
    messages.success(request, _("Published: readers now see this version."))
    return redirect("tourism:destination", code=found.region_id)


@login_required
@require_POST
def unpublish(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.access_destination(user=request.user, region_code=code)
    services.destination_unpublish(destination=found, actor=signed_in_user(request))
    messages.success(request, _("The page is no longer public."))
    return redirect("tourism:edit", code=found.region_id)


def _part_form(
    request: HttpRequest,
    code: str,
    *,
    title: str,
    build: Callable[[Destination], forms.BaseForm],
    save: Callable[[Destination, Any], object],
) -> HttpResponse:
    found = selectors.access_destination(user=request.user, region_code=code)
    form = build(found)
    if request.method == "POST" and form.is_valid():
        try:
            save(found, form)
        except ValidationError as error:
            for problem in error.messages:
                form.add_error(None, problem)
        else:
            messages.success(request, _("Added. Publish the page to show it to readers."))
            return redirect("tourism:edit", code=found.region_id)
    return render(
        request, "tourism/part_form.html", {"destination": found, "form": form, "title": title}
    )


@login_required
def place_add(request: HttpRequest, code: str) -> HttpResponse:
    return _part_form(
        request,
        code,
        title=_("Add a place"),
        build=lambda d: PlaceForm(_posted(request)),
        save=lambda d, form: services.place_add(
            destination=d, data=form.cleaned_data, actor=signed_in_user(request)
        ),
    )


@login_required
def festival_add(request: HttpRequest, code: str) -> HttpResponse:
    return _part_form(
        request,
        code,
        title=_("Add a festival or season"),
        build=lambda d: FestivalForm(_posted(request)),
        save=lambda d, form: services.festival_add(
            destination=d, data=form.cleaned_data, actor=signed_in_user(request)
        ),
    )


@login_required
def itinerary_add(request: HttpRequest, code: str) -> HttpResponse:
    return _part_form(
        request,
        code,
        title=_("Add an itinerary"),
        build=lambda d: ItineraryForm(_posted(request), places=d.places.all()),
        save=lambda d, form: services.itinerary_add(
            destination=d,
            titles=form.titles(),
            days=form.day_places(),
            actor=signed_in_user(request),
        ),
    )


@login_required
def photo_add(request: HttpRequest, code: str) -> HttpResponse:
    return _part_form(
        request,
        code,
        title=_("Add a photo"),
        build=lambda d: PhotoForm(
            _posted(request), request.FILES if request.method == "POST" else None
        ),
        save=lambda d, form: services.photo_add(
            destination=d,
            upload=form.cleaned_data["image"],
            content_type=form.content_type,
            width=form.width,
            height=form.height,
            data=form.photo_data(),
            actor=signed_in_user(request),
        ),
    )


@login_required
@require_POST
def part_remove(request: HttpRequest, code: str, kind: str, pk: int) -> HttpResponse:
    found = selectors.access_destination(user=request.user, region_code=code)
    part = selectors.access_part(destination=found, kind=kind, pk=pk)
    services.part_remove(destination=found, part=part, actor=signed_in_user(request))
    messages.success(request, _("Removed."))
    return redirect("tourism:edit", code=found.region_id)


def photo(request: HttpRequest, pk: int) -> FileResponse:
    """The photo itself, served by the platform: cached by browsers when it is public."""
    found, public = selectors.access_photo(user=user_or_none(request) or request.user, pk=pk)
    response = FileResponse(found.image.open("rb"), content_type=found.content_type)
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


# -- travel fairs: booths (the hosts' officers) and the travel trade's own profile -------------


def _booth_page(
    request: HttpRequest, event: Any, form: BoothForm, booth: Booth | None = None
) -> HttpResponse:
    return render(
        request,
        "tourism/fair_booths.html",
        {"event": event, "form": form, "booth": booth, "booths": selectors.fair_booths(event)},
    )


def _save_booth(request: HttpRequest, form: BoothForm, save: Callable[[], object]) -> bool:
    if not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        for problem in error.messages:
            form.add_error(None, problem)
        return False
    return True


@login_required
def fair_booths(request: HttpRequest, event_pk: int) -> HttpResponse:
    """The fair's booths, and a form to add one."""
    event = selectors.access_fair(user=request.user, event_pk=event_pk)
    form = BoothForm(_posted(request), user=request.user)
    if request.method == "POST" and _save_booth(
        request,
        form,
        lambda: services.booth_add(
            event=event,
            organisation=form.cleaned_data["organisation"],
            label=form.cleaned_data["label"],
            actor=signed_in_user(request),
        ),
    ):
        messages.success(request, _("Booth added."))
        return redirect("tourism:fair_booths", event_pk=event.pk)
    return _booth_page(request, event, form)


@login_required
def fair_booth_edit(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    event = selectors.access_fair(user=request.user, event_pk=event_pk)
    booth = selectors.access_booth(event=event, pk=pk)
    initial = {"label": booth.label, "organisation": booth.organisation_id}
    form = BoothForm(_posted(request), user=request.user, initial=initial)
    if request.method == "POST" and _save_booth(
        request,
        form,
        lambda: services.booth_update(
            booth=booth,
            organisation=form.cleaned_data["organisation"],
            label=form.cleaned_data["label"],
            actor=signed_in_user(request),
        ),
    ):
        messages.success(request, _("Booth saved."))
        return redirect("tourism:fair_booths", event_pk=event.pk)
    return _booth_page(request, event, form, booth)


@login_required
@require_POST
def fair_booth_remove(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    event = selectors.access_fair(user=request.user, event_pk=event_pk)
    booth = selectors.access_booth(event=event, pk=pk)
    services.booth_remove(booth=booth, actor=signed_in_user(request))
    messages.success(request, _("Booth removed."))
    return redirect("tourism:fair_booths", event_pk=event.pk)


@login_required
def trade_profile(request: HttpRequest, event_pk: int) -> HttpResponse:
    """The signed-in user's organisation's travel-trade profile at a fair's B2B meetings."""
    participant = selectors.access_trade_participant(user=request.user, event_pk=event_pk)
    profile = TradeProfile.objects.filter(participant=participant).first()
    initial: dict[str, Any] = {}
    if profile is not None:
        initial = {
            "packages": profile.packages,
            "group_min": profile.group_min,
            "group_max": profile.group_max,
            "segments": profile.segments,
            "associations": list(profile.associations.values_list("pk", flat=True)),
        }
    form = TradeProfileForm(_posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.trade_profile_save(
                participant=participant,
                data=form.cleaned_data,
                associations=list(form.cleaned_data["associations"]),
                actor=signed_in_user(request),
            )
        except ValidationError as error:
            for problem in error.messages:
                form.add_error(None, problem)
        else:
            messages.success(request, _("Travel-trade profile saved."))
            return redirect("events:detail", pk=participant.matchmaking.event.pk)
    return render(
        request,
        "tourism/trade_profile.html",
        {"event": participant.matchmaking.event, "participant": participant, "form": form},
    )
