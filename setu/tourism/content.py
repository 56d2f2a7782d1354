"""A destination page as the reader sees it: the snapshot frozen at publication, and the
same page localised into the reader's language.

``snapshot(destination)`` reads the working copy (five queries) into plain JSON with every
language; ``page(snapshot, language)`` picks each text in the reader's fallback order and
remembers which language it shows, so a text that falls back to Japanese is marked
``lang="ja"`` for screen readers. The public page does only the second step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from setu.core.i18n import fallback_order
from setu.tourism.models import LANGUAGES, Destination

PAGE_TEXTS = ("title", "summary", "highlights", "getting_there", "food", "guides")
SNAPSHOT_VERSION = 1


def _texts(obj: Any, field: str) -> dict[str, str]:
    return {code: getattr(obj, f"{field}_{code}") for code in LANGUAGES}


def snapshot(destination: Destination) -> dict[str, Any]:
    """Everything the public page shows, in every language."""
    places = list(destination.places.all())
    itineraries = list(destination.itineraries.prefetch_related("days__places"))
    return {
        "version": SNAPSHOT_VERSION,
        "region": destination.region_id,
        "original_language": destination.original_language,
        "is_sample": destination.is_sample,
        **{field: _texts(destination, field) for field in PAGE_TEXTS},
        "places": [
            {
                "id": place.pk,
                "name": _texts(place, "name"),
                "description": _texts(place, "description"),
                "food": _texts(place, "food"),
                "vegetarian": place.vegetarian,
                "jain": place.jain,
                "indian_restaurant": place.indian_restaurant,
                "latitude": place.latitude,
                "longitude": place.longitude,
            }
            for place in places
        ],
        "festivals": [
            {
                "name": _texts(festival, "name"),
                "description": _texts(festival, "description"),
                "starts_on": festival.starts_on.isoformat(),
                "ends_on": festival.ends_on.isoformat() if festival.ends_on else None,
            }
            for festival in destination.festivals.all()
        ],
        "itineraries": [
            {
                "title": _texts(itinerary, "title"),
                "days": [
                    {"number": day.number, "places": [p.pk for p in day.places.all()]}
                    for day in itinerary.days.all()
                ],
            }
            for itinerary in itineraries
        ],
        "photos": [
            {
                "id": photo.pk,
                "alt": _texts(photo, "alt"),
                "decorative": photo.decorative,
                "credit": photo.credit,
                "width": photo.width,
                "height": photo.height,
            }
            for photo in destination.photos.all()
        ],
    }


@dataclass(frozen=True, slots=True)
class Text:
    """A text in the language it is shown in (empty ``lang``: the page's own)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def pick(texts: dict[str, str], language: str) -> Text:
    order = fallback_order(language)
    for code in order:
        value = texts.get(code, "")
        if value:
            return Text(value, "" if code == order[0] else code)
    return Text("", "")


def page(data: dict[str, Any], language: str) -> dict[str, Any]:
    """The snapshot in the reader's language, as the template reads it."""
    places = {
        place["id"]: {
            **place,
            "name": pick(place["name"], language),
            "description": pick(place["description"], language),
            "food": pick(place["food"], language),
        }
        for place in data["places"]
    }
    return {
        "region": data["region"],
        "original_language": data["original_language"],
        "is_sample": data["is_sample"],
        **{field: pick(data[field], language) for field in PAGE_TEXTS},
        "places": list(places.values()),
        "festivals": [
            {
                **festival,
                "name": pick(festival["name"], language),
                "description": pick(festival["description"], language),
                "starts": date.fromisoformat(festival["starts_on"]),
                "ends": date.fromisoformat(festival["ends_on"]) if festival["ends_on"] else None,
            }
            for festival in data["festivals"]
        ],
        "itineraries": [
            {
                "title": pick(itinerary["title"], language),
                "days": [
                    {
                        "number": day["number"],
                        "places": [places[pk] for pk in day["places"] if pk in places],
                    }
                    for day in itinerary["days"]
                ],
            }
            for itinerary in data["itineraries"]
        ],
        "photos": [
            {**photo, "alt": "" if photo["decorative"] else pick(photo["alt"], language).text}
            for photo in data["photos"]
        ],
    }


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def structured_data(view: dict[str, Any], *, url: str, photo_url: Any) -> SafeString:
    """JSON-LD for search engines: the destination, its places and its festivals."""
    items: list[dict[str, Any]] = [
        {
            "@context": "https://schema.org",
            "@type": "TouristDestination",
            "name": view["title"].text,
            "description": view["summary"].text,
            "url": url,
            "image": [photo_url(p["id"]) for p in view["photos"] if not p["decorative"]][:3],
            "includesAttraction": [
                {
                    "@type": "TouristAttraction",
                    "name": place["name"].text,
                    "description": place["description"].text,
                    **(
                        {
                            "geo": {
                                "@type": "GeoCoordinates",
                                "latitude": place["latitude"],
                                "longitude": place["longitude"],
                            }
                        }
                        if place["latitude"] is not None and place["longitude"] is not None
                        else {}
                    ),
                }
                for place in view["places"]
            ],
        },
        *(
            {
                "@context": "https://schema.org",
                "@type": "Event",
                "name": festival["name"].text,
                "description": festival["description"].text,
                "startDate": festival["starts_on"],
                **({"endDate": festival["ends_on"]} if festival["ends_on"] else {}),
                "location": {"@type": "Place", "name": view["title"].text},
            }
            for festival in view["festivals"]
        ),
    ]
    text = json.dumps(items, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(text)  # noqa: S308  # <, > and & are escaped above: no tag can close
