"""An event's costs entered by its hosts (and counted in the KPIs), and the lead form's
search-as-you-type for the company and counterpart (only what the user may see)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from setu.conftest import World
from setu.core.models import AuditEntry, Visibility
from setu.directory.models import OrganisationKind
from setu.directory.tests.factories import OrganisationFactory
from setu.results.forms import LeadForm
from setu.results.kpi import kpi_figures
from setu.results.models import EventCost, Lead
from setu.results.tests.factories import past_event

pytestmark = pytest.mark.django_db


def test_a_host_enters_an_events_costs_and_the_kpis_count_them(world: World) -> None:
    event = past_event(world)
    client = world.client_for("officer_own")
    url = reverse("results:event_costs", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "No cost is entered for this event yet." in page.content.decode()

    response = client.post(url, {"title": "Venue hire", "amount_jpy": "450000"})
    assert response.status_code == 302
    client.post(url, {"title": "Interpreters", "amount_jpy": "150000"})
    html = client.get(url).content.decode()
    assert "Venue hire" in html and "Interpreters" in html and "600,000" in html
    assert AuditEntry.objects.filter(action="results.event_cost.added").count() == 2

    today = timezone.localdate()
    figures = kpi_figures(member=None, start=today - timedelta(days=364), end=today)
    row = next(o for o in figures["by_origin"] if o["kind"] == "event" and o["id"] == event.pk)
    assert row["cost"] == 600_000

    venue = EventCost.objects.get(title="Venue hire")
    removed = client.post(reverse("results:event_cost_remove", args=[venue.pk]))
    assert removed.status_code == 302
    assert list(EventCost.objects.values_list("title", flat=True)) == ["Interpreters"]
    assert AuditEntry.objects.filter(action="results.event_cost.removed").count() == 1


def test_a_bad_cost_is_refused_in_the_users_words_and_nothing_is_saved(world: World) -> None:
    event = past_event(world)
    client = world.client_for("officer_own")
    url = reverse("results:event_costs", args=[event.pk])
    for data in ({"title": "", "amount_jpy": "100"}, {"title": "Venue", "amount_jpy": "-5"}):
        page = client.post(url, data)
        assert page.status_code == 200
        assert 'class="errorlist' in page.content.decode()
    ja = client.post(url, {"title": "Venue", "amount_jpy": "abc"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert ja.status_code == 200
    assert not EventCost.objects.exists()


def test_another_prefectures_officer_cannot_see_or_change_an_events_costs(world: World) -> None:
    event = past_event(world)
    cost = EventCost.objects.create(event=event, title="Venue", amount_jpy=1000)
    other = world.client_for("officer_other")
    assert other.get(reverse("results:event_costs", args=[event.pk])).status_code == 404
    assert other.post(reverse("results:event_cost_remove", args=[cost.pk])).status_code == 404
    assert EventCost.objects.filter(pk=cost.pk).exists()


def test_the_lead_form_lists_no_organisation_but_the_chosen_one(world: World) -> None:
    for n in range(30):
        OrganisationFactory.create(
            kind=OrganisationKind.COMPANY, name_en=f"Listed Co {n}", visibility=Visibility.PUBLIC
        )
    client = world.client_for("officer_own")
    with CaptureQueriesContext(connection) as few:
        html = client.get(reverse("results:lead_create")).content.decode()
    assert "Listed Co" not in html
    assert 'name="company_q"' in html and 'hx-get="/results/organisations/search/' in html
    for n in range(30, 60):
        OrganisationFactory.create(
            kind=OrganisationKind.COMPANY, name_en=f"Listed Co {n}", visibility=Visibility.PUBLIC
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("results:lead_create"))
    assert len(many) == len(few)


def test_the_search_offers_only_organisations_the_user_may_see(world: World) -> None:
    hidden = OrganisationFactory.create(
        kind=OrganisationKind.COMPANY, name_en="Kofu Secret Works", visibility=Visibility.PRIVATE,
        managed_by=world.other_prefecture,
    )  # fmt: skip
    url = reverse("results:organisation_search")
    own = world.client_for("officer_own").get(url, {"field": "company", "company_q": "kofu"})
    html = own.content.decode()
    assert "Kofu Precision K.K." in html  # its own managed company
    assert "Kofu Secret Works" not in html
    assert 'name="company"' in html
    other = world.client_for("officer_other").get(
        url, {"field": "counterpart", "counterpart_q": "kofu"}
    )
    html = other.content.decode()
    assert "Kofu Secret Works" in html and "Kofu Precision K.K." not in html
    assert 'name="counterpart"' in html and 'value=""' in html  # "None" for the counterpart
    short = world.client_for("officer_own").get(url, {"field": "company", "company_q": "k"})
    assert "Type two letters or more." in short.content.decode()
    # The form refuses what was typed in by hand for an organisation the user may not see.
    form = LeadForm(
        {"kind": "trade", "title": "T", "company": str(hidden.pk), "currency": "JPY",
         "probability": "10", "visibility": "consortium", "origin_kind": "manual"},
        user=world.user("officer_own"),
    )  # fmt: skip
    assert not form.is_valid() and "company" in form.errors


def test_a_lead_is_saved_with_a_company_chosen_from_the_search(world: World) -> None:
    client = world.client_for("officer_own")
    response = client.post(
        reverse("results:lead_create"),
        {"kind": "trade", "title": "Valves for Pune", "company": str(world.company.pk),
         "counterpart": "", "currency": "JPY", "probability": "10",
         "visibility": "consortium", "origin_kind": "manual"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Lead.objects.get(title="Valves for Pune")
    assert made.company == world.company and made.counterpart is None
    edit = client.get(reverse("results:lead_edit", args=[made.pk])).content.decode()
    assert f'value="{world.company.pk}" checked' in edit and "Kofu Precision K.K." in edit
