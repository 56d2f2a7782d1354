"""The demo: documents with their text read, a brief, announcements; idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from setu.accounts.models import Role
from setu.accounts.tests.factories import UserFactory, add_membership
from setu.directory.demo import load_directory_demo
from setu.library.demo import load_library_demo
from setu.library.models import Announcement, Document, ExtractionStatus, MarketBrief
from setu.library.search.backends import get_backend

pytestmark = pytest.mark.django_db


def test_demo_is_searchable_and_idempotent() -> None:
    by_key, _created = load_directory_demo()
    first = load_library_demo(by_key)
    assert first > 0
    assert load_library_demo(by_key) == 0
    assert Document.objects.count() == 5
    assert Announcement.objects.count() == 3
    brief = MarketBrief.objects.select_related("document__current_version").get()
    assert brief.state_id == "IN-GJ"
    version = brief.document.current_version
    assert version.extraction_status == ExtractionStatus.DONE
    assert "グジャラート州" in version.extracted_text
    assert all(
        d.current_version.extraction_status == ExtractionStatus.DONE
        for d in Document.objects.select_related("current_version")
    )

    yamanashi = UserFactory()
    add_membership(yamanashi, by_key["JP-19"], Role.PREFECTURE_OFFICER)
    shizuoka = UserFactory()
    add_membership(shizuoka, by_key["JP-22"], Role.PREFECTURE_OFFICER)
    backend = get_backend()
    memo = "Internal memo: parts makers for the India mission"
    assert memo in [h.title for h in backend.search("部品", yamanashi, limit=50).hits]
    assert memo not in [h.title for h in backend.search("部品", shizuoka, limit=50).hits]
    anonymous = AnonymousUser()
    assert [h.title for h in backend.search("पुस्तिका", anonymous).hits] == [
        "Investment brochure for Japanese companies in Gujarat"
    ]
    assert [h.title for h in backend.search("覚書", anonymous).hits] == [
        "MoU on renewable energy cooperation (sample text, Japanese)"
    ]
    # the hydrogen deck is shared with the working group's chamber through its collection
    chamber = UserFactory()
    add_membership(chamber, by_key["Western India Clean Energy Chamber"], Role.PARTNER)
    assert any("hydrogen" in h.title.lower() for h in backend.search("水素", chamber).hits)
