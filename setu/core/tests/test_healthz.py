"""/healthz: the load balancer's and monitoring's question, answered in JSON without signing in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthy_says_so_in_json() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_a_failing_cache_is_a_503(monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache down")

    monkeypatch.setattr("setu.core.views.cache.set", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "failed" and response.json()["status"] == "failed"
