"""Shared fixtures: the seven kinds of user every permission test speaks of, and test settings."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from setu.accounts.models import Role, User
from setu.accounts.tests.factories import UserFactory, add_membership, enrol_totp
from setu.core.models import Visibility
from setu.directory.models import Organisation, OrganisationKind, Region
from setu.directory.reference import load_reference_data
from setu.directory.tests.factories import CompanyFactory, OrganisationFactory, PrefectureFactory

# Property tests judge results, not speed: a loaded CI machine must not fail them on time.
hypothesis_settings.register_profile(
    "setu", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("setu")

_real_connect = socket.socket.connect


def _loopback_only_connect(self: socket.socket, address: Any) -> Any:
    """Tests may talk to this machine (PostgreSQL, the live server), never to the network."""
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise RuntimeError(f"a test tried to reach the network: {address!r}")
    return _real_connect(self, address)


DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass (``SETU_TEST_PASS=postgresql``, set by scripts/run_tests.py) runs
    the tests that use a database, except the browser tests, which the SQLite pass runs:
    a test without a database would repeat itself, and a page driven in Chromium exercises
    the same views the client tests run on both databases (decision 0030). A test marked
    ``postgres`` always runs there."""
    if os.environ.get("SETU_TEST_PASS") != "postgresql":
        return
    for item in items:
        # The PostgreSQL tests that rush the database from threads (up to 40 connections each)
        # run one after another on one worker (scripts/run_tests.py: --dist loadgroup): side by
        # side on three workers they passed the server's 100 connections.
        module = getattr(item, "module", None)
        if item.get_closest_marker("postgres") and hasattr(module, "threading"):
            item.add_marker(pytest.mark.xdist_group("database_rush"))
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        in_browser = item.get_closest_marker("browser") is not None
        needs_postgres = item.get_closest_marker("postgres") is not None
        (kept if needs_postgres or (uses_database and not in_browser) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """PostgreSQL test databases commit without waiting for the disk: nothing a test writes has
    to survive a crash, and the transactional and concurrency tests commit often (decision
    0030). pytest-django's own fixture of this name only adds the per-worker suffix."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    socket.socket.connect = _loopback_only_connect  # type: ignore[method-assign,assignment]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """The cache holds allauth's used TOTP codes and sign-in limits per user id; a later test's
    user may get the same id (and, within 30 s, the same code), so no test inherits it."""
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A test that switches language (a view activates the user's) leaves the next one English."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Uploads (logos, documents) never land in the checkout's var/media.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class World:
    """A small network: secretariat, two member prefectures, a company, a partner, a student."""

    secretariat_org: Organisation
    prefecture: Organisation  # "own" prefecture: manages the company
    other_prefecture: Organisation
    company: Organisation  # private, managed by ``prefecture``
    partner_org: Organisation
    university: Organisation
    users: dict[str, User]

    def user(self, role: str) -> User | None:
        return self.users.get(role)

    def client_for(self, role: str) -> Client:
        client = Client()
        user = self.user(role)
        if user is not None:
            client.force_login(user)
        return client


ROLES = (
    "anonymous",
    "student",
    "member",
    "partner",
    "officer_own",
    "officer_other",
    "secretariat",
)


def build_world() -> World:
    if not Region.objects.exists():
        load_reference_data()  # a transactional test flushed what the migration loaded
    secretariat_org = OrganisationFactory.create(
        kind=OrganisationKind.SECRETARIAT, name_en="Secretariat", visibility=Visibility.PUBLIC
    )
    prefecture = PrefectureFactory.create(name_en="Yamanashi", region_id="JP-19")
    other_prefecture = PrefectureFactory.create(name_en="Shizuoka", region_id="JP-22")
    company = CompanyFactory.create(
        name_en="Kofu Precision K.K.", managed_by=prefecture, visibility=Visibility.PRIVATE
    )
    partner_org = OrganisationFactory.create(
        kind=OrganisationKind.CHAMBER, name_en="Mumbai Chamber", country="IN", region_id="IN-MH"
    )
    university = OrganisationFactory.create(
        kind=OrganisationKind.ACADEMIC, name_en="Tottori University", visibility=Visibility.PUBLIC
    )
    users: dict[str, User] = {}
    for role, org, membership_role in [
        ("student", university, Role.STUDENT),
        ("member", company, Role.MEMBER),
        ("partner", partner_org, Role.PARTNER),
        ("officer_own", prefecture, Role.PREFECTURE_OFFICER),
        ("officer_other", other_prefecture, Role.PREFECTURE_OFFICER),
        ("secretariat", secretariat_org, Role.SECRETARIAT),
    ]:
        user = UserFactory.create(
            email=f"{role}@example.org", full_name=role.replace("_", " ").title()
        )
        add_membership(user, org, membership_role)
        if membership_role in (Role.SECRETARIAT, Role.PREFECTURE_OFFICER):
            enrol_totp(user)
        users[role] = user
    return World(
        secretariat_org, prefecture, other_prefecture, company, partner_org, university, users
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


from setu.browser import browser  # noqa: E402, F401  # the fixture, shared by every app's browser tests
