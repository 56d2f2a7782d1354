"""Recommendations by meaning: the worker stores a profile's vectors when its texts change,
the command re-embeds stale ones, and the pages quote the matching sentences of both profiles
with labels in the reader's language, or say why they cannot yet.

Few, short texts: the model is loaded once per process (``setu.algorithms.embedding``).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from setu.algorithms import embedding
from setu.algorithms.embedding import MODEL_VERSION
from setu.conftest import World
from setu.matchmaking.embeddings import embeddings_refresh, stored_vectors
from setu.matchmaking.models import Matchmaking, Participant, ProfileEmbedding
from setu.matchmaking.services import setup as services
from setu.matchmaking.tests.factories import participant
from setu.matchmaking.tests.market_builders import indian, market, member_side

pytestmark = pytest.mark.django_db

SME_OFFERS = "燃料電池システムを製造しています。"
SME_NEEDS = "インドでグリーン水素を製造している事業者を探しています。"
HYDROGEN_OFFERS = "We are building a green hydrogen plant with electrolysers in Gujarat."
HYDROGEN_NEEDS = "We need fuel cell systems."
HINDI_OFFERS = "हम ओडिशा में ग्रीन हाइड्रोजन का उत्पादन करने वाला संयंत्र बना रहे हैं।"
MANGO_OFFERS = "Alphonso mangoes and mango pulp from Ratnagiri."


def _url(mm: Matchmaking, name: str = "recommended") -> str:
    return reverse(f"matchmaking:{name}", args=[mm.event.pk])


def _update(me: Participant, world: World, *, offers: str, needs: str) -> None:
    services.participant_update(
        participant=me,
        actor=world.users["member"],
        fields={"offers": offers, "needs": needs, "languages": "ja,en"},
        sectors=[],
        unavailable=[],
    )


def test_the_worker_stores_vectors_when_the_texts_change(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mm = market(world)
    me = member_side(world, mm)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        _update(me, world, offers=SME_OFFERS, needs=SME_NEEDS)
    assert len(queued) == 1  # the embedding task, run by the (immediate) worker
    stored = ProfileEmbedding.objects.get(participant=me)
    assert stored.model_version == MODEL_VERSION
    assert stored.offers_sentences == [SME_OFFERS] and stored.needs_sentences == [SME_NEEDS]
    assert len(bytes(stored.offers_rows)) == 384 * 4 and len(bytes(stored.needs_mean)) == 384 * 4
    me.refresh_from_db()
    assert me.pk in stored_vectors([me])
    # The same texts again (a language ticked): nothing to embed, nothing queued.
    with django_capture_on_commit_callbacks(execute=True) as queued:
        _update(me, world, offers=SME_OFFERS, needs=SME_NEEDS)
    assert queued == []
    # New needs: the stored vectors are stale at once (pages leave them out), then remade.
    assert stored_vectors([Participant(pk=me.pk, offers=SME_OFFERS, needs=HYDROGEN_NEEDS)]) == {}
    embedded: list[list[str]] = []
    real = embedding.embed_raw

    def spy(sentences: list[str]) -> embedding.Vectors:
        embedded.append(list(sentences))
        return real(sentences)

    monkeypatch.setattr(embedding, "embed_raw", spy)
    with django_capture_on_commit_callbacks(execute=True):
        _update(me, world, offers=SME_OFFERS, needs=HYDROGEN_NEEDS)
    remade = ProfileEmbedding.objects.get(participant=me)
    assert remade.needs_sentences == [HYDROGEN_NEEDS]
    # Only the new sentence went to the model; the offers' stored row was reused as it was.
    assert embedded == [[HYDROGEN_NEEDS]]
    assert bytes(remade.offers_rows) == bytes(stored.offers_rows)


def test_the_command_reembeds_stale_profiles(world: World) -> None:
    mm = market(world)
    me = member_side(world, mm, offers=SME_OFFERS, needs=SME_NEEDS)
    other = participant(mm, indian(), offers=HYDROGEN_OFFERS, needs="")
    assert embeddings_refresh() == 2 and embeddings_refresh() == 0
    ProfileEmbedding.objects.filter(participant=other).update(model_version="older-model")
    assert list(stored_vectors([me, other])) == [me.pk]
    call_command("embed_profiles", stdout=io.StringIO())
    assert set(stored_vectors([me, other])) == {me.pk, other.pk}
    assert other.pk in stored_vectors([other])
    assert stored_vectors([other])[other.pk].needs.mean is None  # an empty field has no vector


def _world_with_partners(world: World) -> tuple[Matchmaking, Participant, Participant]:
    mm = market(world)
    member_side(world, mm, offers=SME_OFFERS, needs=SME_NEEDS, languages="ja")
    hydrogen = participant(
        mm, indian(name_en="Kutch Hydrogen"), offers=HYDROGEN_OFFERS, needs=HYDROGEN_NEEDS
    )
    hindi = participant(mm, indian(name_en="Odisha Hydrogen"), offers=HINDI_OFFERS, needs="")
    participant(mm, indian(name_en="Ratnagiri Mangoes"), offers=MANGO_OFFERS, needs="")
    embeddings_refresh()
    return mm, hydrogen, hindi


@pytest.mark.parametrize("language", ["en", "ja", "hi"])
def test_recommendations_quote_both_profiles_in_the_readers_language(
    world: World, language: str
) -> None:
    mm, hydrogen, hindi = _world_with_partners(world)
    member = world.users["member"]
    member.language = language
    member.save(update_fields=["language"])
    response = world.client_for("member").get(_url(mm))
    assert response.context["by_meaning"] and response.context["waiting"] == 0
    recommended = response.context["recommended"]
    assert {r.participant for r in recommended[:2]} == {hydrogen, hindi}
    first = next(r for r in recommended if r.participant == hydrogen)
    page = response.content.decode()
    with translation.override(language):
        label = translation.gettext("Their offer answers your need")
        how = translation.gettext("How recommendations are made")
    assert label != "Their offer answers your need" or language == "en"
    assert first.quotes[0].label == label and label in page and how in page
    assert first.quotes[0].need == SME_NEEDS and first.quotes[0].offer == HYDROGEN_OFFERS
    assert f'lang="ja">{SME_NEEDS}<' in page and f'lang="en">{HYDROGEN_OFFERS}<' in page
    assert f'lang="hi">{HINDI_OFFERS}<' in page  # quoted as written, never translated


def test_the_marketplace_shows_the_best_recommendations_with_their_quotes(world: World) -> None:
    mm, hydrogen, _ = _world_with_partners(world)
    response = world.client_for("member").get(_url(mm, "market"))
    recommended = response.context["recommended"]
    assert hydrogen in [r.participant for r in recommended]
    assert HYDROGEN_OFFERS in response.content.decode()


def test_without_the_readers_vectors_the_page_says_so_and_compares_words(world: World) -> None:
    mm = market(world)
    member_side(world, mm, offers="brake components", needs="castings")
    fit = participant(mm, indian(), offers="grey iron castings", needs="brake components")
    response = world.client_for("member").get(_url(mm))
    assert not response.context["by_meaning"]
    assert [r.participant for r in response.context["recommended"]] == [fit]
    assert "Your profile is still being analysed" in response.content.decode()


def test_others_without_vectors_are_counted_and_the_page_says_so(world: World) -> None:
    mm, _, _ = _world_with_partners(world)
    late = participant(mm, indian(name_en="Late Joiner"), offers=HYDROGEN_OFFERS, needs="")
    response = world.client_for("member").get(_url(mm))
    assert response.context["waiting"] == 1
    assert "1 participant's profile is still being analysed" in response.content.decode()
    assert late.pk not in stored_vectors([late])


def test_a_participants_page_quotes_what_matches(world: World) -> None:
    mm, hydrogen, _ = _world_with_partners(world)
    url = reverse("matchmaking:participant", args=[mm.event.pk, hydrogen.pk])
    response = world.client_for("member").get(url)
    (first, second) = response.context["quotes"]
    assert (first.need, first.offer) == (SME_NEEDS, HYDROGEN_OFFERS)
    assert (second.need, second.offer) == (HYDROGEN_NEEDS, SME_OFFERS)
    # Without the other's vectors, the page falls back to the word score's reasons.
    ProfileEmbedding.objects.filter(participant=hydrogen).delete()
    assert world.client_for("member").get(url).context["quotes"] == []
