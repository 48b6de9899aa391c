"""The demo's incident data: deviations, complaints, a Lex Sarah case reported to IVO, and
provider follow-ups with a sanction, each reachable from the people who work with it."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import transaction

from tillit.demo.seed import seed_demo
from tillit.incidents.models import (
    Complaint,
    Deviation,
    FollowUpStatus,
    LexSarahCase,
    LexSarahStatus,
    Sanction,
    SanctionStep,
)
from tillit.incidents.results import latest_follow_up_result
from tillit.organisation.models import Provider

TODAY = dt.date(2026, 11, 22)
# Seeds the whole demo: a slow whole-product check, run once in CI (marker `once`).
pytestmark = [pytest.mark.django_db, pytest.mark.once]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        seed_demo(TODAY)
        yield
        transaction.set_rollback(True)


def test_the_demo_has_deviations_complaints_and_lex_sarah(demo):
    assert Deviation.objects.count() >= 10
    assert Deviation.objects.filter(provider__isnull=False).count() == 3
    assert Deviation.objects.filter(case__isnull=False).exists()
    assert Complaint.objects.filter(channel="e_tjanst").count() == 2
    reported = LexSarahCase.objects.get(reported_to_ivo_on__isnull=False)
    assert reported.status == LexSarahStatus.CLOSED
    assert reported.ivo_outcome


def test_the_demo_follows_up_providers_with_a_sanction(demo):
    provider = Provider.objects.get(name="Omsorgsbolaget Demo AB")
    steps = list(Sanction.objects.filter(provider=provider).values_list("step", flat=True))
    assert steps == [SanctionStep.REMARK, SanctionStep.WARNING]
    shown = latest_follow_up_result(provider)
    assert shown is not None
    assert shown.result == "anmarkning"
    assert provider.follow_ups.get().status == FollowUpStatus.REPORTED


@pytest.mark.parametrize(
    ("username", "lists"),
    [
        ("enhetschef", ["/avvikelser/", "/klagomal/", "/lex-sarah/", "/avvikelser/analys/"]),
        ("kvalitetsutvecklare", ["/lex-sarah/", "/uppfoljning/", "/avvikelser/analys/"]),
        ("kundval", ["/avvikelser/", "/klagomal/", "/uppfoljning/"]),
        ("anordnare", ["/avvikelser/", "/uppfoljning/"]),
    ],
)
def test_demo_users_open_their_pages_and_every_record_listed(demo, client, username, lists):
    import re

    from tillit.accounts.models import User

    client.force_login(User.objects.get(username=username))
    for url in lists:
        page = client.get(url)
        assert page.status_code == 200, url
        records = set(
            re.findall(
                r'href="(/(?:avvikelser|klagomal|lex-sarah|uppfoljning)/\d+/)"',
                page.content.decode(),
            )
        )
        for record in sorted(records)[:10]:
            assert client.get(record).status_code == 200, record
