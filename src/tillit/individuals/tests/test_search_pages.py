"""The person search pages its hits: a page is a fixed number of queries and one log write."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.individuals.models import Case, Individual
from tillit.kundval.tests.factories import with_check_digit
from tillit.paging import PAGE_SIZE


def _people(world, n, start=0):
    for i in range(start, start + n):
        born = dt.date(1990, 1, 1) + dt.timedelta(days=i)
        person = Individual.objects.create(
            personal_number=with_check_digit(f"{born:%Y%m%d}{970 + i % 20:03d}"),
            first_name=f"Sidan{i:03d}",
            last_name="Bläddersson",
            date_of_birth=born,
        )
        Case.objects.create(
            individual=person,
            unit=world.unit,
            group=world.reception,
            title="Ärende",
            opened_on=dt.date(2020, 1, 1),
        )


def test_search_hits_come_a_page_at_a_time(world):
    client = world.client("unit_head")
    url = reverse("individuals:search")
    _people(world, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "Bläddersson"})
    _people(world, PAGE_SIZE + 5, start=3)
    with CaptureQueriesContext(connection) as many:
        first = client.get(url, {"q": "Bläddersson"}).content.decode()
    assert len(many.captured_queries) <= len(few.captured_queries)
    writes = [q for q in many.captured_queries if 'INSERT INTO "audit_accesslog"' in q["sql"]]
    assert len(writes) == 1
    assert "Sidan000" in first
    assert 'rel="next"' in first
    second = client.get(url, {"q": "Bläddersson", "sida": "2"}).content.decode()
    assert "Sidan000" not in second
    assert 'rel="prev"' in second
