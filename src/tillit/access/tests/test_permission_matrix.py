"""Every URL, requested as every persona, gives the expected answer.

A new URL fails `test_every_url_is_in_the_matrix` until it is given a row here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tillit.api.models import ApiToken
from tillit.conftest import PERSONAS

ANON = None
ALL = [*PERSONAS, ANON]
WORKERS = {"reception_worker", "reception_colleague", "investigation_worker"}
CASE_STAFF = WORKERS | {"reception_head", "unit_head", "other_unit_head"}
REGISTRARS = WORKERS | {"reception_head"}
MUNICIPAL = set(PERSONAS) - {"provider_staff", "outsider", "former_worker"}
REVIEWERS = {"unit_head", "other_unit_head", "quality_developer"}
READS_QUEUE_CHILD = {"reception_worker", "reception_colleague", "reception_head", "unit_head"}
OFFICER = {"kundval_officer"}
PROVIDER = {"provider_staff"}


def expect(ok_for: set[str], ok: int, other: int, anonymous: int = 302) -> dict[str | None, int]:
    table: dict[str | None, int] = {p: (ok if p in ok_for else other) for p in PERSONAS}
    table[ANON] = anonymous
    return table


# name -> (method, kwargs builder, expected status per persona)
MATRIX = {
    "front:start": ("get", {}, expect(set(PERSONAS), 200, 200)),
    "accounts:login": ("get", {}, expect(set(), 200, 302, anonymous=200)),
    "accounts:logout": ("post", {}, expect(set(PERSONAS), 302, 302, anonymous=302)),
    "accounts:second_factor": ("get", {}, expect(set(PERSONAS), 200, 200)),
    "organisation:overview": ("get", {}, expect(MUNICIPAL, 200, 403)),
    "organisation:unit": ("get", {"unit_id": "unit"}, expect(MUNICIPAL, 200, 403)),
    "organisation:staff": ("get", {"user_id": "reception_worker"}, expect(MUNICIPAL, 200, 403)),
    "individuals:search": ("get", {}, expect(CASE_STAFF, 200, 403)),
    "individuals:register": ("get", {}, expect(REGISTRARS, 200, 403)),
    "individuals:detail": ("get", {"individual_id": "queue"}, expect(READS_QUEUE_CHILD, 200, 404)),
    "individuals:history": (
        "get",
        {"individual_id": "queue"},
        {
            **expect({"unit_head"}, 200, 404),
            **dict.fromkeys(READS_QUEUE_CHILD - {"unit_head"}, 403),
        },
    ),
    "access:audit_purpose": ("get", {}, expect({"quality_developer"}, 200, 403)),
    "access:grant": (
        "post",
        {"individual_id": "protected"},
        {
            **expect({"unit_head"}, 400, 404),
            **dict.fromkeys(READS_QUEUE_CHILD - {"unit_head"}, 403),
        },
    ),
    "audit:review": ("get", {}, expect(REVIEWERS, 200, 403)),
    "admin:index": ("get", {}, expect({"system_admin"}, 200, 302)),
    "set_language": ("post", {}, expect(set(PERSONAS), 302, 302, anonymous=302)),
    # Kundval (issue 4)
    "kundval:home": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:area": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:price_list_new": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:index_change": ("get", {"area_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:applications": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:application_new": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:application": ("get", {"application_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:authorisation_stop": ("get", {"authorisation_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:customers": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:decision_new": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:voucher": ("get", {"voucher_id": "kv"}, expect(OFFICER | PROVIDER, 200, 404)),
    "kundval:choose": ("get", {"voucher_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:runs": ("get", {}, expect(OFFICER, 200, 403)),
    "kundval:run_new": ("post", {}, expect(OFFICER, 400, 403)),
    "kundval:run": ("get", {"run_id": "kv"}, expect(OFFICER | PROVIDER, 200, 403)),
    "kundval:run_again": ("post", {"run_id": "kv"}, expect(OFFICER, 302, 403)),
    "kundval:run_close": ("post", {"run_id": "kv"}, expect(OFFICER, 302, 403)),
    "kundval:finance_csv": ("get", {"run_id": "kv"}, expect(OFFICER, 200, 403)),
    "kundval:basis": (
        "get",
        {"run_id": "kv", "provider_id": "kv"},
        expect(OFFICER | PROVIDER, 200, 403),
    ),
    "kundval:basis_xlsx": (
        "get",
        {"run_id": "kv", "provider_id": "kv"},
        expect(OFFICER | PROVIDER, 200, 403),
    ),
    "kundval:basis_pdf": (
        "get",
        {"run_id": "kv", "provider_id": "kv"},
        expect(OFFICER | PROVIDER, 200, 403),
    ),
    "kundval:portal": ("get", {}, expect(PROVIDER, 200, 403)),
    "kundval:portal_report": ("get", {}, expect(PROVIDER, 200, 403)),
    "kundval:portal_profile": ("get", {}, expect(PROVIDER, 200, 403)),
}

# API endpoints answer to tokens, not to sessions: persona -> status with that persona's token.
API_MATRIX = {
    "api:me": ({}, expect(set(PERSONAS), 200, 200, anonymous=401)),
    "api:units": ({}, expect(MUNICIPAL, 200, 403, anonymous=401)),
    "api:individuals": ({"q": "Kö"}, expect(CASE_STAFF, 200, 403, anonymous=401)),
    "api:individual": (
        {"individual_id": "queue"},
        expect(READS_QUEUE_CHILD, 200, 404, anonymous=401),
    ),
    # Kundval (issue 4); the POST endpoints are tested in kundval/tests/test_api.py.
    "api:kundval_vouchers": ({}, expect(OFFICER | PROVIDER, 200, 403, anonymous=401)),
    "api:kundval_basis": (
        {"run_id": "kv", "provider_id": "kv"},
        expect(OFFICER | PROVIDER, 200, 403, anonymous=401),
    ),
    "api:kundval_decision": ({}, expect(set(), 405, 405, anonymous=405)),
    "api:kundval_choice": ({"voucher_id": "kv"}, expect(set(), 405, 405, anonymous=405)),
    "api:kundval_performance": ({}, expect(set(), 405, 405, anonymous=405)),
    "api:openapi-json": ({}, expect(set(PERSONAS), 200, 200, anonymous=200)),
    "api:api-root": ({}, expect(set(), 404, 404, anonymous=404)),
}


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            names |= _names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{prefix}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    assert _names(get_resolver()) == set(MATRIX) | set(API_MATRIX)


def _url(world, name: str, kwargs: dict[str, str]) -> str:
    resolved: dict[str, int] = {}
    for key, ref in kwargs.items():
        if key == "unit_id":
            resolved[key] = world.unit.pk
        elif key == "user_id":
            resolved[key] = world.people[ref].pk
        elif key == "individual_id":
            resolved[key] = world.children[ref].pk
        elif ref == "kv":
            from tillit.kundval.tests.factories import matrix_objects

            resolved[key] = matrix_objects(world)[key]
    return reverse(name, kwargs=resolved)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_page_matrix(world, name):
    method, kwargs, expected = MATRIX[name]
    url = _url(world, name, kwargs)
    answers = {}
    for persona in ALL:
        response = getattr(world.client(persona), method)(url)
        answers[persona] = response.status_code
    assert answers == expected


@pytest.mark.parametrize("name", sorted(API_MATRIX))
def test_api_matrix(world, name, client):
    from django.utils import timezone

    kwargs, expected = API_MATRIX[name]
    path_kwargs = {k: v for k, v in kwargs.items() if k != "q"}
    url = _url(world, name, path_kwargs)
    query = {"q": kwargs["q"]} if "q" in kwargs else {}
    answers = {}
    for persona in ALL:
        headers = {}
        if persona is not None:
            _token, raw = ApiToken.issue(
                world.people[persona], "test", timezone.now() + timezone.timedelta(days=1)
            )
            headers = {"Authorization": f"Bearer {raw}"}
        answers[persona] = client.get(url, query, headers=headers).status_code
    assert answers == expected
