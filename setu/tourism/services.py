"""Writes to destination pages: each service is the whole write, audited, in one transaction.

Publishing checks the working copy and freezes it (``content.snapshot``); until then nothing
of it is public. A photo removed from the working copy leaves the public page at once too:
a photo taken down (a rights question, a wrong credit) must not wait for the next publication.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.core import audit
from setu.core.writes import assign
from setu.directory.models import Organisation, OrganisationKind
from setu.events.models import Event, EventKind
from setu.matchmaking.models import Participant
from setu.tourism.content import snapshot
from setu.tourism.models import (
    Booth,
    Destination,
    Festival,
    Itinerary,
    ItineraryDay,
    Photo,
    Place,
    TradeProfile,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from setu.accounts.models import User

DEFAULT_PHOTO_MAX_BYTES = 2 * 1024 * 1024
MIN_DAYS, MAX_DAYS = 2, 5


def photo_max_bytes() -> int:
    return int(getattr(settings, "SETU_PHOTO_MAX_BYTES", DEFAULT_PHOTO_MAX_BYTES))


def member_prefecture_for(region_code: str) -> Organisation | None:
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.MEMBER_PREFECTURE, region_id=region_code, merged_into=None
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def destination_start(*, owner: Organisation, actor: User | None) -> Destination:
    """The prefecture's page, made empty on its first edit."""
    assert owner.region_id is not None
    destination, created = Destination.objects.get_or_create(
        region_id=owner.region_id, defaults={"owner": owner}
    )
    if created:
        audit.record(destination, "tourism.destination.created", actor=actor)
    return destination


@transaction.atomic
def destination_update(
    *, destination: Destination, data: Mapping[str, Any], actor: User
) -> Destination:
    fields = [name for name in data if name != "id"]
    before = audit.snapshot(destination, fields=fields)
    assign(destination, dict(data))
    destination.save()
    changes = audit.field_changes(before, audit.snapshot(destination, fields=fields))
    audit.record(destination, "tourism.destination.updated", actor=actor, changes=changes)
    return destination


def _touch(destination: Destination) -> None:
    """A change to a place, day or photo is a change to the page (unpublished changes)."""
    destination.save(update_fields=["updated_at"])


@transaction.atomic
def place_add(*, destination: Destination, data: Mapping[str, Any], actor: User) -> Place:
    place = Place(destination=destination)
    assign(place, dict(data))
    place.save()
    _touch(destination)
    audit.record(place, "tourism.place.created", actor=actor, owner=destination.owner)
    return place


@transaction.atomic
def festival_add(*, destination: Destination, data: Mapping[str, Any], actor: User) -> Festival:
    festival = Festival(destination=destination)
    assign(festival, dict(data))
    festival.save()
    _touch(destination)
    audit.record(festival, "tourism.festival.created", actor=actor, owner=destination.owner)
    return festival


@transaction.atomic
def itinerary_add(
    *,
    destination: Destination,
    titles: Mapping[str, str],
    days: Sequence[Sequence[Place]],
    actor: User,
) -> Itinerary:
    """An itinerary of ``len(days)`` days; each day visits the places given for it."""
    problems = itinerary_problems("", [len(day) for day in days])
    if problems:
        raise ValidationError(problems)
    if any(place.destination_id != destination.pk for day in days for place in day):
        raise ValidationError(_("Choose places of this page."))
    itinerary = Itinerary.objects.create(destination=destination, **titles)
    for number, places in enumerate(days, start=1):
        day = ItineraryDay.objects.create(itinerary=itinerary, number=number)
        day.places.set(places)
    _touch(destination)
    audit.record(itinerary, "tourism.itinerary.created", actor=actor, owner=destination.owner)
    return itinerary


@transaction.atomic
def photo_add(
    *,
    destination: Destination,
    upload: UploadedFile,
    content_type: str,
    width: int,
    height: int,
    data: Mapping[str, Any],
    actor: User,
) -> Photo:
    problems = photo_problems(
        size=upload.size or 0,
        decorative=bool(data.get("decorative")),
        alts=[data.get(f"alt_{code}", "") for code in ("en", "ja", "hi")],
        label=data.get("credit", ""),
    )
    if problems:
        raise ValidationError(problems)
    photo = Photo(
        destination=destination,
        content_type=content_type,
        size=upload.size or 0,
        width=width,
        height=height,
    )
    assign(photo, dict(data))
    photo.image.save(upload.name or "photo", upload, save=False)
    photo.save()
    _touch(destination)
    audit.record(photo, "tourism.photo.created", actor=actor, owner=destination.owner)
    return photo


@transaction.atomic
def part_remove(
    *, destination: Destination, part: Place | Festival | Itinerary | Photo, actor: User
) -> None:
    """Remove a place, festival, itinerary or photo from the working copy. A photo leaves the
    published page as well."""
    audit.record(
        part,
        "tourism.part.deleted",
        actor=actor,
        owner=destination.owner,
        changes={"kind": part._meta.model_name},
    )
    if isinstance(part, Photo):
        locked = Destination.objects.select_for_update().get(pk=destination.pk)
        if locked.published:
            locked.published["photos"] = [
                p for p in locked.published["photos"] if p["id"] != part.pk
            ]
            # a new stamp: the pages rendered from the old snapshot are not served again
            locked.published_at = timezone.now()
            locked.save(update_fields=["published", "published_at"])
        storage, name = part.image.storage, part.image.name or ""
        transaction.on_commit(lambda: storage.delete(name))
    part.delete()
    _touch(destination)


# -- publication -----------------------------------------------------------------------------


def itinerary_problems(title: str, places_per_day: Sequence[int]) -> list[str]:
    problems = []
    label = title or _("a new itinerary")
    if not MIN_DAYS <= len(places_per_day) <= MAX_DAYS:
        problems.append(
            _("Itinerary “%(title)s”: an itinerary has from %(min)s to %(max)s days.")
            % {"title": label, "min": MIN_DAYS, "max": MAX_DAYS}
        )
    for number, count in enumerate(places_per_day, start=1):
        if count == 0:
            problems.append(
                _("Itinerary “%(title)s”, day %(day)s: choose at least one place.")
                % {"title": label, "day": number}
            )
    return problems


def photo_problems(*, size: int, decorative: bool, alts: Sequence[str], label: str) -> list[str]:
    problems = []
    limit = photo_max_bytes()
    if size > limit:
        problems.append(
            _("Photo “%(photo)s” is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {
                "photo": label,
                "size": f"{size / 1_048_576:.1f}",
                "limit": f"{limit / 1_048_576:.0f}",
            }
        )
    if not decorative and not any(alt.strip() for alt in alts):
        problems.append(
            _("Photo “%(photo)s” needs an alt text saying what it shows, or mark it decorative.")
            % {"photo": label}
        )
    return problems


def publish_problems(destination: Destination) -> list[str]:
    """Everything that keeps the working copy from being published, in words to fix it."""
    problems = []
    if not destination.title_en.strip():
        problems.append(_("Give the page an English title: most travel agents read English."))
    for itinerary in destination.itineraries.prefetch_related("days__places"):
        problems += itinerary_problems(
            str(itinerary), [len(day.places.all()) for day in itinerary.days.all()]
        )
    for photo in destination.photos.all():
        problems += photo_problems(
            size=photo.size,
            decorative=photo.decorative,
            alts=[photo.alt_en, photo.alt_ja, photo.alt_hi],
            label=photo.credit,
        )
    return problems


@transaction.atomic
def destination_publish(*, destination: Destination, actor: User) -> Destination:
    """Freeze the working copy as the public page; ValidationError (nothing published) when
    it is not ready."""
    locked = Destination.objects.select_for_update().get(pk=destination.pk)
    problems = publish_problems(locked)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    locked.published = snapshot(locked)
    locked.published_at = now
    # updated_at moves with save(); keep it equal so the page reads "no unpublished changes"
    Destination.objects.filter(pk=locked.pk).update(
        published=locked.published, published_at=now, updated_at=now
    )
    locked.updated_at = now
    audit.record(locked, "tourism.destination.published", actor=actor)
    return locked


@transaction.atomic
def destination_unpublish(*, destination: Destination, actor: User) -> Destination:
    Destination.objects.filter(pk=destination.pk).update(published=None, published_at=None)
    destination.published, destination.published_at = None, None
    audit.record(destination, "tourism.destination.unpublished", actor=actor)
    return destination


# -- travel fairs: booths and the travel trade's profiles ------------------------------------


def _booth_problems(
    *, event: Event, organisation: Organisation, label: str, pk: int | None
) -> list[str]:
    others = Booth.objects.filter(event=event)
    if pk is not None:
        others = others.exclude(pk=pk)
    problems = []
    if not label.strip():
        problems.append(_("Give the booth a label, such as A12."))
    elif others.filter(label=label.strip()).exists():
        problems.append(_("Another exhibitor already has booth %(label)s.") % {"label": label})
    if others.filter(organisation=organisation).exists():
        problems.append(_("This exhibitor already has a booth at this fair."))
    return problems


def _set(instance: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """Set the values that differ; return them (for the audit entry)."""
    changes = {}
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changes[name] = value
    return changes


@transaction.atomic
def booth_add(*, event: Event, organisation: Organisation, label: str, actor: User) -> Booth:
    """Give an exhibitor a booth at a travel fair; a taken label or exhibitor is refused."""
    if event.kind != EventKind.TRAVEL_FAIR:
        raise ValidationError(_("Only a travel fair has booths."))
    problems = _booth_problems(event=event, organisation=organisation, label=label, pk=None)
    if problems:
        raise ValidationError(problems)
    booth = Booth.objects.create(event=event, organisation=organisation, label=label.strip())
    audit.record(
        booth,
        "tourism.booth.created",
        actor=actor,
        owner=event.owner,
        changes={"label": booth.label, "organisation": organisation.pk},
    )
    return booth


@transaction.atomic
def booth_update(*, booth: Booth, organisation: Organisation, label: str, actor: User) -> Booth:
    problems = _booth_problems(
        event=booth.event, organisation=organisation, label=label, pk=booth.pk
    )
    if problems:
        raise ValidationError(problems)
    changes = _set(booth, {"organisation_id": organisation.pk, "label": label.strip()})
    if changes:
        booth.save()
        audit.record(
            booth, "tourism.booth.updated", actor=actor, owner=booth.event.owner, changes=changes
        )
    return booth


@transaction.atomic
def booth_remove(*, booth: Booth, actor: User) -> None:
    audit.record(
        booth,
        "tourism.booth.deleted",
        actor=actor,
        owner=booth.event.owner,
        changes={"label": booth.label, "organisation": booth.organisation_id},
    )
    booth.delete()


@transaction.atomic
def trade_profile_save(
    *,
    participant: Participant,
    data: Mapping[str, Any],
    associations: Sequence[Organisation],
    actor: User,
) -> TradeProfile:
    """Create or change a matchmaking participant's travel-trade profile."""
    low, high = data.get("group_min"), data.get("group_max")
    if low is not None and high is not None and high < low:
        raise ValidationError(_("The largest group cannot be smaller than the smallest."))
    profile, created = TradeProfile.objects.get_or_create(participant=participant)
    changes = _set(
        profile,
        {
            "packages": data.get("packages", ""),
            "group_min": low,
            "group_max": high,
            "segments": [str(code) for code in data.get("segments", [])],
        },
    )
    if changes:
        profile.save()
    before = set(profile.associations.values_list("pk", flat=True))
    after = {org.pk for org in associations}
    if before != after:
        profile.associations.set(associations)
        changes = {**changes, "associations": sorted(after)}
    if created or changes:
        audit.record(
            profile,
            "tourism.trade_profile.created" if created else "tourism.trade_profile.updated",
            actor=actor,
            owner=participant.organisation,
            changes=changes,
        )
    return profile
