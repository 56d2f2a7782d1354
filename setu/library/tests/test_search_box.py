"""Every search box stops at the length the search answers, so a long search in Hindi or
Japanese never meets the front server's request-line limit (issue "The first hour of a new
member", item 7)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from setu.conftest import World
from setu.core.params import FILTER_MAX_CHARS, SEARCH_MAX_CHARS
from setu.library.filters import MAX_QUERY_CHARS

pytestmark = pytest.mark.django_db

# gunicorn's default --limit-request-line; docs/operations.md raises it to 8190.
GUNICORN_DEFAULT_REQUEST_LINE = 4094
SEARCH_INPUT = re.compile(r"<input\b[^>]*\btype=\"search\"[^>]*>")


def _templates() -> list[Path]:
    roots = [
        Path(settings.BASE_DIR, "templates"),
        *Path(settings.BASE_DIR, "setu").glob("*/templates"),
    ]
    return [path for root in roots for path in root.rglob("*.html")]


def test_every_search_input_in_a_template_takes_its_length_from_one_constant() -> None:
    inputs = [
        (path.name, tag) for path in _templates() for tag in SEARCH_INPUT.findall(path.read_text())
    ]
    assert len(inputs) >= 5
    for name, tag in inputs:
        assert re.search(r'maxlength="\{\{ (search|filter)_max_chars \}\}"', tag), (name, tag)


def test_the_header_and_library_boxes_allow_what_the_search_takes(world: World) -> None:
    assert MAX_QUERY_CHARS == SEARCH_MAX_CHARS
    client = world.client_for("anonymous")
    home = client.get(reverse("home")).content.decode()
    assert re.search(rf'id="site-q"[^>]*maxlength="{SEARCH_MAX_CHARS}"', home)
    search = client.get(reverse("library:search")).content.decode()
    assert re.search(rf'id="library-q"[^>]*maxlength="{SEARCH_MAX_CHARS}"', search)
    assert FILTER_MAX_CHARS <= SEARCH_MAX_CHARS


def test_a_full_box_of_hindi_fits_the_request_line_and_is_answered(world: World) -> None:
    query = ("ऊर्जा " * SEARCH_MAX_CHARS)[:SEARCH_MAX_CHARS]
    url = f"{reverse('library:search')}?{urlencode({'q': query, 'type': 'documents', 'page': 2})}"
    request_line = f"GET {url} HTTP/1.1"
    assert len(request_line.encode()) < GUNICORN_DEFAULT_REQUEST_LINE
    response = world.client_for("member").get(url)
    assert response.status_code == 200
    assert "characters long" not in response.content.decode()
