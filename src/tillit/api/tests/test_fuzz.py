"""Property-based fuzz of the API: whatever a token holder sends, the answer is never a server
error. Schemathesis generates requests from /api/openapi.json (valid and invalid bodies, huge
numbers, long strings, odd dates) for every operation; derandomized, so a run is repeatable."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from tillit.api.api import api
from tillit.api.models import ApiToken
from tillit.conftest import World
from tillit.kundval.tests import factories as f

# Whole-product checks: CI runs them in one database pass only (.ci/run).
pytestmark = pytest.mark.once

# Examples per test; a deeper hunt now and then: TILLIT_FUZZ_EXAMPLES=500 pytest -m once.
EXAMPLES = int(os.environ.get("TILLIT_FUZZ_EXAMPLES", "25"))

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
APP = get_wsgi_application()
# One token holder per kind of API user: each operation is fuzzed as the one whose work it is
# (the refusals of the others are cheap and covered by the permission tests).
PERSONAS = ["reception_worker", "kundval_officer", "provider_staff"]


def _persona(path: str) -> str:
    if path.startswith(("/api/kundval/performance", "/api/kundval/runs")):
        return "provider_staff"
    if path.startswith("/api/kundval/"):
        return "kundval_officer"
    return "reception_worker"


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """The requests go to the WSGI application itself, not through Django's test client, so
    nothing stops Django from closing "old" connections at each request's start and end. On
    PostgreSQL that closes the test's own connection (it is inside the test's transaction, so
    its autocommit differs from the settings'); every later request then fails with "the
    connection is closed". Django's test client disconnects the same handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world: World, keep_the_test_connection: None, settings) -> dict[str, str]:
    # Generated requests may carry keys of their own: never let them close the address.
    settings.TILLIT_API_KEY_FAILURES_PER_ADDRESS = 1_000_000
    f.matrix_objects(world)  # kundval areas, vouchers and a run, so small ids hit real rows
    expires = timezone.now() + dt.timedelta(days=1)
    return {p: ApiToken.issue(world.people[p], "fuzz", expires)[1] for p in PERSONAS}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_makes_the_api_answer_a_server_error(case, tokens):
    persona = _persona(case.operation.path)
    response = case.call(app=APP, headers={"Authorization": f"Bearer {tokens[persona]}"})
    assert response.status_code < 500, (
        f"{persona}: {case.method} {case.formatted_path} answered {response.status_code}"
    )
