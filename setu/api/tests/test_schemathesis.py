"""Property-based check of every API operation against its own OpenAPI schema (issue 16, 6).

Schemathesis generates requests from /api/v1/openapi.json, valid ones and broken ones, sends
them to the WSGI app with a token holding every scope, and checks each answer: no server error,
a documented status, a documented content type and a body matching the schema; and that the
operation refuses a request without valid credentials (``ignored_auth``). Bounded: a few
examples per operation and mode, so the whole run stays under two minutes on SQLite.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from setu.api.tests.role_matrix import _meeting_request, _memo, _registration
from setu.api.tests.support import token_for
from setu.conftest import World

EXAMPLES_PER_OPERATION = 6  # per operation and mode (valid, invalid)
# The examples bound the work (about 80 s on SQLite on a quiet machine); this only stops a hang.
BUDGET_SECONDS = 600
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]


@pytest.fixture
def _connection_kept() -> Iterator[None]:
    """The WSGI app closes old connections after each request, the test's own included
    (PostgreSQL): keep it open, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_connection_kept")
def test_every_operation_conforms_to_the_schema(world: World) -> None:
    from django.conf import settings as django_settings

    from config.wsgi import application

    django_settings.SETU_API_RATE_LIMIT = 1_000_000
    # records for the generated ids to find now and then (ids are small numbers here)
    _memo(world)
    _registration(world)
    _meeting_request(world)
    token = token_for(world.users["officer_own"])
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    started = time.monotonic()
    statuses: dict[int, int] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation, mode in (
        (operation, mode)
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
            )
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        check()
        assert time.monotonic() - started < BUDGET_SECONDS, f"over budget at {operation.label}"
    # the run reached the operations, not only their refusals
    assert statuses.get(200, 0) >= len(operations), statuses
    print("schemathesis statuses:", dict(sorted(statuses.items())))  # shown with -s
