"""Tokens and clients for the API tests."""

from __future__ import annotations

from typing import Any

from django.test import Client

from setu.accounts.models import User
from setu.api import services
from setu.api.scopes import EVENTS_WRITE, LEADS_WRITE, MATCHMAKING_WRITE, READ

ALL_SCOPES = [READ, EVENTS_WRITE, MATCHMAKING_WRITE, LEADS_WRITE]


def token_for(user: User, scopes: list[str] | None = None, days: int = 1) -> str:
    return services.token_create(
        user=user, name="test", scopes=scopes or ALL_SCOPES, days=days
    ).text


class ApiClient:
    """A test client sending a bearer token (or none) and a language."""

    def __init__(self, token: str | None = None, language: str = "en") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, url: str, data: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(url, data or {}, headers={**self.headers, **headers})

    def send(self, method: str, url: str, body: Any, **headers: str) -> Any:
        payload = body if isinstance(body, str | bytes) else __import__("json").dumps(body)
        return getattr(self.client, method)(
            url, payload, content_type="application/json", headers={**self.headers, **headers}
        )

    def post(self, url: str, body: Any, **headers: str) -> Any:
        return self.send("post", url, body, **headers)

    def patch(self, url: str, body: Any, **headers: str) -> Any:
        return self.send("patch", url, body, **headers)


def client_for(
    user: User | None, scopes: list[str] | None = None, language: str = "en"
) -> ApiClient:
    return ApiClient(token_for(user, scopes) if user is not None else None, language)
