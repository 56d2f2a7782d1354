"""In a real browser, at desk and phone widths, in English, Japanese and Hindi: a Japanese SME
sees Indian partners recommended from profiles written in English and Hindi, with the
matching sentences of both profiles quoted."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.events.tests.factories import EventFactory
from setu.matchmaking.embeddings import embeddings_refresh
from setu.matchmaking.tests.factories import matchmaking_for, participant
from setu.matchmaking.tests.market_builders import indian

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SME_NEEDS = "インドでグリーン水素を製造している事業者を探しています。共同で実証したいです。"
HINDI_OFFERS = "हम ओडिशा में ग्रीन हाइड्रोजन का उत्पादन करने वाला संयंत्र बना रहे हैं।"


def test_recommendations_quote_both_profiles_at_both_widths(
    live_server: Any, browser: Any, world: World
) -> None:
    event = EventFactory.create(
        owner=world.prefecture, title_en="Green hydrogen networking, Bhubaneswar", kind="networking"
    )
    mm = matchmaking_for(event)
    participant(
        mm,
        world.company,
        contact=world.users["member"],
        offers="定置用燃料電池システムと高圧水素タンクを設計・製造しています。",
        needs=SME_NEEDS,
        languages="ja",
    )
    participant(
        mm,
        indian(name_en="Kutch Green Hydrogen Ltd"),
        offers="We are developing a 100 MW green hydrogen plant with electrolysers in Gujarat.",
        needs="We need fuel cell systems and hydrogen storage tanks for industrial pilots.",
    )
    participant(mm, indian(name_en="Odisha Green Energy Agency"), offers=HINDI_OFFERS, needs="")
    participant(mm, indian(name_en="Ratnagiri Mango Growers"), offers="Alphonso mangoes.")
    embeddings_refresh()
    member = world.users["member"]
    url = live_server.url + reverse("matchmaking:recommended", args=[event.pk])
    for language in ("en", "ja", "hi"):
        member.language = language
        member.save(update_fields=["language"])
        for width in (1280, 390):
            page = signed_in_page(browser, live_server, member, width=width)
            page.goto(url)
            assert page.locator(".mm-quote").count() >= 2
            assert page.get_by_text(HINDI_OFFERS).first.is_visible()
            assert page.get_by_text("Ratnagiri Mango Growers").count() == 0  # nothing in common
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{language} at {width}px scrolls sideways ({scroll}px)"
            page.screenshot(
                path=str(artifact(f"matchmaking-recommended-{language}-{width}.png")),
                full_page=True,
            )
            page.context.close()
