"""Fuzz of the public forms (no account needed): the kundval application form and the login
form answer anything a stranger posts without a server error. Derandomized Hypothesis."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tillit.kundval.tests.test_apply import Setting

# Whole-product checks: CI runs them in one database pass only (.ci/run).
pytestmark = pytest.mark.once

# Examples per test; a deeper hunt now and then: TILLIT_FUZZ_EXAMPLES=500 pytest -m once.
EXAMPLES = int(os.environ.get("TILLIT_FUZZ_EXAMPLES", "40"))

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# What a stranger might type into any field: text of any kind, numbers far past any column,
# dates far outside the domain, ids that do or do not exist.
value = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="0123456789-+e.,", max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["0001-01-01", "9999-12-31", "1e20", "NaN", "-0", "\x00", " " * 500]),
    st.just("x" * 10_000),
)
ids = st.lists(
    st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str), value), max_size=5
)


@pytest.fixture
def open_form(db, settings):
    settings.TILLIT_KUNDVAL_APPLICATIONS_PER_HOUR = 10_000
    cache.clear()
    return Setting()


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "name": value,
            "organisation_number": value,
            "contact_name": value,
            "email": value,
            "phone": value,
            "capacity": value,
            "submission_key": value,
            "confirmed_true": value,
            "areas": ids,
            "districts": ids,
        },
    ),
    real_areas=st.booleans(),
)
def test_the_application_form_never_answers_a_server_error(open_form, fields, real_areas):
    data = open_form.form()
    data.pop("documents")
    if "capacity" in fields:
        data[f"capacity_{open_form.home_care.pk}"] = fields.pop("capacity")
    if real_areas:
        fields.pop("areas", None)
        fields.pop("districts", None)
    data.update(fields)
    response = Client().post(reverse("kundval:apply"), data)
    assert response.status_code < 500


@FUZZ
@given(username=value, password=value)
def test_the_login_form_never_answers_a_server_error(db, username, password):
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    assert response.status_code < 500
