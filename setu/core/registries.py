"""What the foundation shows of the activity apps, collected from them.

core, accounts and directory never import an activity app (events, matchmaking, coordination,
library); an activity app that wants a place on the dashboard, or demo data in
``manage.py load_demo``, registers it here from its ``AppConfig.ready``::

    register_dashboard_part("announcements", announcements_part)
    register_demo_loader("events", load_events_demo, order=20)

A dashboard part ``(user) -> dict`` adds keys to the dashboard's template context (one or two
queries each). A demo loader ``(by_key) -> int`` receives the demo organisations by key and
returns how many records it created; loaders run by ascending ``order`` (an app whose demo
needs another's records takes a higher number) and must be idempotent.

A record action puts a higher app's button on a lower app's record
(``{% record_actions "follow_up" follow_up %}``): results offers "Create a lead" on a held
B2B meeting, an event registration and a mission's meeting without those apps knowing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User
    from setu.directory.models import Organisation

DashboardPart = Callable[["User | AnonymousUser"], dict[str, Any]]
DemoLoader = Callable[[dict[str, "Organisation"]], int]

_DASHBOARD_PARTS: dict[str, DashboardPart] = {}
_DEMO_LOADERS: dict[str, tuple[int, DemoLoader]] = {}


def register_dashboard_part(key: str, part: DashboardPart) -> None:
    """Add ``part(user)``'s keys to the dashboard of every signed-in user."""
    _DASHBOARD_PARTS[key] = part


def dashboard_parts(user: User | AnonymousUser) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in _DASHBOARD_PARTS.values():
        context.update(part(user))
    return context


def register_demo_loader(key: str, loader: DemoLoader, *, order: int) -> None:
    """Run ``loader`` in ``manage.py load_demo``, after the directory and the demo users."""
    _DEMO_LOADERS[key] = (order, loader)


def demo_loaders() -> list[tuple[str, DemoLoader]]:
    """The registered loaders in the order they must run."""
    ranked = sorted(_DEMO_LOADERS.items(), key=lambda item: (item[1][0], item[0]))
    return [(key, loader) for key, (_order, loader) in ranked]


# -- actions on another app's records (results: "Create a lead" on a held meeting) ------------


@dataclass(frozen=True)
class RecordAction:
    """A button a higher app puts on a lower app's record: a POST to ``url``."""

    label: str
    url: str


RecordActionSource = Callable[["User | AnonymousUser", Any], "RecordAction | None"]
_RECORD_ACTIONS: dict[str, dict[str, RecordActionSource]] = {}


def register_record_action(kind: str, key: str, source: RecordActionSource) -> None:
    """Offer ``source(user, record)``'s button wherever a page shows a record of ``kind``
    with ``{% record_actions kind record %}``. The source answers None when it has nothing
    for this user and record; it should cost no query (the page shows it on every row)."""
    _RECORD_ACTIONS.setdefault(kind, {})[key] = source


def record_actions(kind: str, user: User | AnonymousUser, record: Any) -> list[RecordAction]:
    found = (source(user, record) for source in _RECORD_ACTIONS.get(kind, {}).values())
    return [action for action in found if action is not None]


# -- consent (privacy fills this in; the directory asks before listing a contact) ------------

ConsentCheck = Callable[..., bool]
ConsentFilter = Callable[..., Any]
_CONSENT_CHECKS: list[ConsentCheck] = []
_CONSENT_FILTERS: list[ConsentFilter] = []


def register_consent_check(check: ConsentCheck, queryset_filter: ConsentFilter) -> None:
    """setu.privacy registers the consent ledger's answers (docs/decisions/0021):

    ``check(subject, purpose, recipient=None) -> bool``: False when the newest ledger line of
    ``subject`` (a user or an email address) for ``purpose`` is a withdrawal;
    ``queryset_filter(queryset, purpose, *, user_field=None, email_field=None)``: the
    queryset less the rows whose person withdrew. Without privacy both allow everything."""
    _CONSENT_CHECKS[:] = [check]
    _CONSENT_FILTERS[:] = [queryset_filter]


def consent_allows(subject: Any, purpose: str, recipient: Any = None) -> bool:
    return all(check(subject, purpose, recipient=recipient) for check in _CONSENT_CHECKS)


def without_withdrawn_consent(
    queryset: Any, purpose: str, *, user_field: str | None = None, email_field: str | None = None
) -> Any:
    for queryset_filter in _CONSENT_FILTERS:
        queryset = queryset_filter(
            queryset, purpose, user_field=user_field, email_field=email_field
        )
    return queryset


# -- provisions abroad (privacy fills this in; the directory asks before showing contacts) ----


@dataclass(frozen=True)
class Shown:
    """One person whose contact details are about to be shown: ``key`` is the caller's name
    for the row (a Person id), ``home_countries`` the countries of the person's organisations."""

    key: Any
    email: str
    home_countries: frozenset[str]


ProvisionHook = Callable[..., set[Any]]
_PROVISION_HOOKS: list[ProvisionHook] = []


def register_provision_hook(hook: ProvisionHook) -> None:
    """setu.privacy registers ``hook(*, shown, reader, what) -> set of keys``: called when
    personal data of the people in ``shown`` is about to be shown to ``reader``. For each of
    the reader's organisations in another country than a person's it records a provision
    abroad (once per organisation, person and day) and answers the keys of the people who
    withdrew "sharing with partners abroad", so the caller shows them as it shows readers who
    may not see the data. A page of people costs the hook a fixed number of queries, plus
    one write per new provision. Without privacy: nothing withheld, nothing recorded
    (docs/privacy.md)."""
    _PROVISION_HOOKS[:] = [hook]


def withheld_abroad(*, shown: list[Shown], reader: User | AnonymousUser, what: Any) -> set[Any]:
    """The keys of ``shown`` whose contact details must not reach ``reader``; ``what``: a lazy
    translation, written into each provision in the person's language."""
    withheld: set[Any] = set()
    for hook in _PROVISION_HOOKS:
        withheld |= hook(shown=shown, reader=reader, what=what)
    return withheld
