"""In a real browser: a Yamanashi officer uploads a Japanese PDF, finds 部品 in it; an officer
of Shizuoka searches the same word and does not find the private document.

The PDF is generated in the test (setu.library.minimal_pdf): a text layer in a Type0 font
named HeiseiKakuGo-W5 with a ToUnicode map, which pdftotext (pypdf where it is missing) reads.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command

from setu.browser import artifact
from setu.core.management.commands.load_demo import DEMO_PASSWORD, demo_totp_secret
from setu.library.tests.factories import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YAMANASHI = "officer.yamanashi@demo.setu.example"
SHIZUOKA = "officer.shizuoka@demo.setu.example"
TITLE = "Parts makers visit plan (private)"


def sign_in_staff(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    code = format_hotp_value(hotp_value(demo_totp_secret(email), int(time.time()) // 30))
    page.fill("input[name=code]", code)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


def test_upload_a_japanese_pdf_and_find_a_two_character_word(
    live_server: Any, browser: Any, tmp_path: Path
) -> None:
    call_command("load_demo", stdout=io.StringIO())
    pdf = tmp_path / "部品メーカー訪問計画.pdf"
    pdf.write_bytes(
        pdf_bytes(
            "山梨県の自動車部品メーカー訪問計画", "訪問先：甲府の金型メーカー、部品の共同調達"
        )
    )

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_staff(page, live_server.url, YAMANASHI)
    page.goto(f"{live_server.url}/library/documents/new/")
    page.fill("input[name=title_en]", TITLE)
    page.fill("input[name=title_ja]", "部品メーカー訪問計画（非公開）")
    page.select_option("select[name=language]", "ja")
    page.select_option("select[name=visibility]", "private")
    page.set_input_files("input[name=file]", str(pdf))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/library/documents/*/")
    body = page.locator("main").inner_text()
    assert "部品メーカー訪問計画.pdf" in body
    assert "Text read" in body or "テキスト" in body or "読み" in body
    page.screenshot(path=str(artifact("library-uploaded.png")), full_page=True)

    page.goto(f"{live_server.url}/library/")
    page.fill("input[name=q]", "部品")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(f"{live_server.url}/library/search/*")
    results = page.locator("ol.library-results")
    assert "部品メーカー訪問計画" in results.inner_text()
    assert results.locator("mark", has_text="部品").count() >= 1
    page.screenshot(path=str(artifact("library-search-ja.png")), full_page=True)
    context.close()

    other = browser.new_context(viewport={"width": 390, "height": 844})
    page = other.new_page()
    sign_in_staff(page, live_server.url, SHIZUOKA)
    page.goto(f"{live_server.url}/library/search/?q=部品")
    main = page.locator("main").inner_text()
    assert "部品メーカー訪問計画" not in main and TITLE not in main
    page.screenshot(path=str(artifact("library-search-other-prefecture.png")), full_page=True)
    other.close()


def test_a_hindi_prefix_finds_words_only_where_a_letter_ends(
    live_server: Any, browser: Any, world: Any, reindex: Any
) -> None:
    """ऊर्जा finds ऊर्जा and ऊर्जावान; ऊर्ज, which stops inside the letter र्जा, finds nothing."""
    from setu.browser import signed_in_page
    from setu.core.models import Visibility
    from setu.library.models import Document

    documents = [
        Document.objects.create(
            owner=world.prefecture,
            visibility=Visibility.PARTNERS,
            language="hi",
            title_hi=title,
            title_en=english,
            summary_hi=text,
        )
        for title, english, text in [
            ("गुजरात में सौर ऊर्जा", "Solar energy in Gujarat", "नवीकरणीय ऊर्जा और सौर पार्क।"),
            ("ऊर्जावान उद्यमी", "Energetic entrepreneurs", "ऊर्जावान युवा उद्यमियों की कार्यशाला।"),
        ]
    ]
    reindex(*documents)
    partner = world.user("partner")
    partner.language = "hi"
    partner.save(update_fields=["language"])
    for width, name in [(1280, "desktop"), (390, "phone")]:
        page = signed_in_page(browser, live_server, partner, width=width)
        page.goto(f"{live_server.url}/library/search/?q=ऊर्जा")
        results = page.locator("ol.library-results").inner_text()
        assert "गुजरात में सौर ऊर्जा" in results and "ऊर्जावान उद्यमी" in results
        page.screenshot(path=str(artifact(f"library-search-hi-prefix-{name}.png")), full_page=True)
        page.goto(f"{live_server.url}/library/search/?q=ऊर्ज")
        assert page.locator("ol.library-results").count() == 0
        page.screenshot(path=str(artifact(f"library-search-hi-cut-{name}.png")), full_page=True)
        page.context.close()
