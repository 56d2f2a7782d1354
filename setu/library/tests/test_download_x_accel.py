"""Downloads behind nginx: the app checks, nginx sends the file (X-Accel-Redirect); both modes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.core.models import Visibility
from setu.library.tests.factories import upload

pytestmark = pytest.mark.django_db


def _private_document(world: World, share: Any) -> Any:
    return share(
        user=world.user("officer_own"),
        owner=world.prefecture,
        file=upload("静岡 報告.txt", b"confidential figures"),
        visibility=Visibility.PRIVATE,
    )


def test_behind_nginx_the_app_answers_with_the_internal_location_only(
    world: World, share: Any, settings: Any
) -> None:
    settings.SETU_X_ACCEL_REDIRECT_PREFIX = "/_protected/"
    document = _private_document(world, share)
    url = reverse("library:download", args=[document.pk])
    response = world.client_for("officer_own").get(url)
    assert response.status_code == 200
    stored = document.current_version.file.name
    assert response["X-Accel-Redirect"] == "/_protected/" + stored.replace(" ", "%20")
    assert response.content == b""  # nginx sends the bytes
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=0"
    # the check still happens first: another prefecture gets a 404 and no file location
    refused = world.client_for("officer_other").get(url)
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused


def test_behind_nginx_a_missing_file_is_a_404_not_a_redirect(
    world: World, share: Any, settings: Any
) -> None:
    settings.SETU_X_ACCEL_REDIRECT_PREFIX = "/_protected/"
    document = _private_document(world, share)
    document.current_version.file.storage.delete(document.current_version.file.name)
    response = world.client_for("officer_own").get(reverse("library:download", args=[document.pk]))
    assert response.status_code == 404


def test_without_nginx_the_app_streams_the_file(world: World, share: Any, settings: Any) -> None:
    settings.SETU_X_ACCEL_REDIRECT_PREFIX = ""
    document = _private_document(world, share)
    response = world.client_for("officer_own").get(reverse("library:download", args=[document.pk]))
    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == b"confidential figures"
