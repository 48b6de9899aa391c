"""Unknown API keys are counted per client address: past the limit an hour the address is refused
(429, the documented refusal shape) before any key is looked up; other addresses, and requests
without a key, are not affected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tillit.api.models import ApiToken

LIMIT = 3


@pytest.fixture
def limit(settings):
    settings.TILLIT_API_KEY_FAILURES_PER_ADDRESS = LIMIT


def _get(address: str, key: str | None) -> int:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key is not None else {}
    return Client(REMOTE_ADDR=address).get("/api/units", **headers).status_code


def test_guessing_keys_is_refused_after_the_limit(world, limit):
    _token, valid = ApiToken.issue(
        world.people["reception_worker"], "integration", timezone.now() + dt.timedelta(days=1)
    )
    assert _get("198.51.100.9", valid) == 200
    assert [_get("198.51.100.9", f"gissning-{n}") for n in range(LIMIT)] == [401] * LIMIT
    answer = Client(REMOTE_ADDR="198.51.100.9").get(
        "/api/units", HTTP_AUTHORIZATION="Bearer gissning-4"
    )
    assert answer.status_code == 429
    assert "För många okända API-nycklar" in answer.json()["detail"]
    # Once refused, the address is refused whatever the key: guessing right gains nothing.
    assert _get("198.51.100.9", valid) == 429
    # Another address, and the same address without a key (nothing guessed), as before.
    assert _get("198.51.100.10", valid) == 200
    assert _get("198.51.100.9", None) == 401


def test_revoked_and_expired_keys_count_as_unknown(world, limit):
    user = world.people["reception_worker"]
    revoked, revoked_raw = ApiToken.issue(user, "gammal", timezone.now() + dt.timedelta(days=1))
    revoked.revoked = True
    revoked.save(update_fields=["revoked"])
    _expired, expired_raw = ApiToken.issue(user, "utgången", timezone.now() - dt.timedelta(days=1))
    statuses = [_get("198.51.100.9", k) for k in [revoked_raw, expired_raw, revoked_raw]]
    assert statuses == [401, 401, 401]
    assert _get("198.51.100.9", expired_raw) == 429
