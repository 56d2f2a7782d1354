"""Titles and names lose bidi overrides when saved (docs/decisions/0009)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models.signals import pre_save
from django.urls import reverse

from setu.conftest import World
from setu.core.bidi import strip_bidi_controls, title_fields
from setu.directory.models import Organisation, Partnership
from setu.directory.tests.test_import_export import batch_from, csv_text, upload
from setu.events.registration import Person, Registrant, registration_create
from setu.events.tests.factories import EventFactory

RLO = "\u202e"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (f"Invoice{RLO}fdp.exe", "Invoicefdp.exe"),
        ("\u2067Tokyo\u2069 office \u202aA\u202c\u202b\u202d", "Tokyo office A"),
        ("Kofu\u200f Precision\u200e", "Kofu Precision"),  # marks in left-to-right text
        ("भारत\u200f", "भारत"),
        ("山梨県\u200e", "山梨県"),
        # an Urdu name keeps its marks (it may need them), not an override
        (
            "\u06a9\u0631\u0627\u0686\u06cc \u200fKarachi\u200e" + RLO,
            "\u06a9\u0631\u0627\u0686\u06cc \u200fKarachi\u200e",
        ),
        ("Plain title", "Plain title"),
    ],
)
def test_strip_bidi_controls(typed: str, stored: str) -> None:
    assert strip_bidi_controls(typed) == stored


def test_every_title_and_name_field_is_cleaned_on_save() -> None:
    cleaned = {
        model.__name__: title_fields(model)
        for model in apps.get_models()
        if model.__module__.startswith("setu.") and title_fields(model)
    }
    assert {"Organisation", "Person", "Partnership", "Event", "Document", "Announcement",
            "Mission", "Meeting", "User", "Attendee", "Collection"} <= cleaned.keys()  # fmt: skip
    assert "title_en" in cleaned["Event"] and "full_name" in cleaned["User"]
    for name in cleaned:
        assert pre_save.has_listeners(apps.get_model(*_label(name)))


def _label(model_name: str) -> tuple[str, str]:
    model = next(m for m in apps.get_models() if m.__name__ == model_name)
    return model._meta.app_label, model._meta.model_name or ""


@pytest.mark.django_db
def test_an_agreement_title_typed_with_an_override_is_saved_without_it(world: World) -> None:
    state = Organisation.objects.create(kind="indian_state", name_en="Goa", country="IN")
    response = world.client_for("officer_own").post(
        reverse("directory:partnership_create"),
        {"kind": "mou", "level": "prefecture_state", "title_en": f"MoU {RLO}cod.exe",
         "status": "active", "signed_precision": "day", "visibility": "public",
         "parties": [world.prefecture.pk, state.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    agreement = Partnership.objects.get()
    assert agreement.title_en == "MoU cod.exe"
    page = world.client_for("anonymous").get(agreement.get_absolute_url()).content.decode()
    assert RLO not in page


@pytest.mark.django_db
def test_imported_names_and_attendee_names_are_cleaned_too(world: World) -> None:
    client = world.client_for("officer_own")
    sheet = [["name_en", "kind", "country"], [f"Kofu {RLO}KK Trading", "company", "JP"]]
    batch = batch_from(upload(client, csv_text(sheet).encode(), "one.csv"))
    client.post(reverse("directory:import_commit", args=[batch.pk]))
    assert Organisation.objects.filter(name_en="Kofu KK Trading").exists()

    event = EventFactory.create(owner=world.prefecture)
    registration = registration_create(
        event=event,
        registrant=Registrant(name=f"Ken {RLO}iroM", email="ken@example.org"),
        people=[Person(f"Ken {RLO}iroM", "ken@example.org", None)],
    )
    assert registration.name == "Ken iroM"
    assert registration.attendees.get().name == "Ken iroM"
