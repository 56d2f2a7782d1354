"""Demo tokens: the member company's person has a live read token for a (fictional) calendar
sync and a revoked one, so that Account → API tokens shows both states. Their texts are
random and never shown: make one to try the API (docs/api.md). Idempotent, by token name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from setu.accounts.models import User
from setu.api import services
from setu.api.models import ApiToken
from setu.api.scopes import EVENTS_WRITE, READ

if TYPE_CHECKING:
    from setu.directory.models import Organisation

DEMO_MEMBER = "member@demo.setu.example"
LIVE = "Demo: calendar sync (fictional)"
REVOKED = "Demo: old spreadsheet script (fictional)"


def load_api_demo(by_key: dict[str, Organisation]) -> int:
    user = User.objects.filter(email=DEMO_MEMBER).first()
    if user is None:
        return 0
    created = 0
    for name, scopes, revoke in ((LIVE, [READ], False), (REVOKED, [READ, EVENTS_WRITE], True)):
        if ApiToken.objects.filter(user=user, name=name).exists():
            continue
        token = services.token_create(user=user, name=name, scopes=scopes, days=90).token
        if revoke:
            services.token_revoke(token=token, actor=user)
        created += 1
    return created
