"""Enrolling a second factor needs a one-time code from an administrator, never the password
alone — or a login through the identity provider."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tillit.accounts.models import EnrolmentCode
from tillit.accounts.second_factor import (
    MAX_FAILED_ATTEMPTS,
    OIDC_SESSION_FLAG,
    issue_enrolment_code,
)
from tillit.changelog.models import Change
from tillit.conftest import PASSWORD, TEST_ACTOR

PAGE = "/konto/tvafaktor/"


@pytest.fixture
def second_factor_required(settings):
    settings.REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def worker(world, second_factor_required):
    """reception_worker, logged in with the password only."""
    client = Client()
    assert (
        client.post("/konto/logga-in/", {"username": "reception_worker", "password": PASSWORD})
    ).status_code == 302
    return world.people["reception_worker"], client


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sees_qr(client) -> bool:
    page = client.get(PAGE).content.decode()
    return "<svg" in page and "Skanna QR-koden" in page


def test_the_password_alone_shows_no_qr_code_and_creates_no_device(worker):
    user, client = worker
    page = client.get(PAGE).content.decode()
    assert "engångskod från en administratör" in page
    assert "<svg" not in page
    assert not TOTPDevice.objects.filter(user=user).exists()
    # A TOTP code posted straight away enrols nothing either.
    client.post(PAGE, {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/start/").url == PAGE


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("none", "Koden stämmer inte"),
        ("wrong", "Koden stämmer inte"),
        ("expired", "Koden har gått ut"),
        ("reused", "Koden har redan använts"),
        ("replaced", "Koden gäller inte längre"),
        ("other_users", "Koden stämmer inte"),
        ("empty", "Ange registreringskoden"),
    ],
)
def test_a_code_that_does_not_hold_is_refused(worker, world, setup, message):
    user, client = worker
    now = timezone.now()
    typed = "ABCD-EFGH-JKMN"
    if setup == "wrong":
        issue_enrolment_code(user, by=world.people["system_admin"])
    elif setup == "expired":
        typed = issue_enrolment_code(user, by=TEST_ACTOR, now=now - dt.timedelta(hours=73)).code
    elif setup == "reused":
        typed = issue_enrolment_code(user, by=TEST_ACTOR).code
        other = Client()
        other.post("/konto/logga-in/", {"username": "reception_worker", "password": PASSWORD})
        other.post(PAGE, {"code": typed})
    elif setup == "replaced":
        typed = issue_enrolment_code(user, by=TEST_ACTOR).code
        issue_enrolment_code(user, by=TEST_ACTOR)
    elif setup == "other_users":
        typed = issue_enrolment_code(world.people["unit_head"], by=TEST_ACTOR).code
    elif setup == "empty":
        typed = ""
    response = client.post(PAGE, {"code": typed})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not _sees_qr(client)
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_a_correct_code_opens_enrolment_once(worker, world):
    user, client = worker
    stale = TOTPDevice.objects.create(user=user, name="seen before", confirmed=False)
    issued = issue_enrolment_code(user, by=world.people["system_admin"])
    assert client.post(PAGE, {"code": issued.code.lower().replace("-", " ")}).url == PAGE
    assert _sees_qr(client)
    assert not TOTPDevice.objects.filter(pk=stale.pk).exists()  # a fresh secret
    row = EnrolmentCode.objects.get(user=user)
    assert row.used_at is not None
    assert row.issued_by == world.people["system_admin"]
    assert issued.code.replace("-", "") not in row.code_hash
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(PAGE, {"token": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/start/").status_code == 200


def test_five_wrong_codes_revoke_the_live_code(worker):
    user, client = worker
    issued = issue_enrolment_code(user, by=TEST_ACTOR)
    for _ in range(MAX_FAILED_ATTEMPTS):
        client.post(PAGE, {"code": "AAAA-AAAA-AAAA"})
    response = client.post(PAGE, {"code": issued.code})
    assert "Koden gäller inte längre" in response.content.decode()


def test_a_login_through_the_identity_provider_may_enrol_without_a_code(worker, settings):
    settings.OIDC_SATISFIES_SECOND_FACTOR = False
    _user, client = worker
    session = client.session
    session[OIDC_SESSION_FLAG] = True
    session.save()
    assert _sees_qr(client)


def test_the_command_issues_a_code(world, capsys):
    call_command("issue_enrolment_code", "reception_worker")
    out = capsys.readouterr().out
    code = out.split(": ")[1].split(" ")[0]
    assert len(code) == 14
    row = EnrolmentCode.objects.get(user=world.people["reception_worker"])
    assert row.issued_by is None
    assert row.issued_by_label == "issue_enrolment_code"
    logged = Change.objects.get(event="accounts.enrolment_code.issued")
    assert (logged.actor, logged.system_actor) == (None, "issue_enrolment_code")
    assert logged.object_id == row.pk
    assert logged.changed["user"] == [None, world.people["reception_worker"].pk]
    with pytest.raises(CommandError, match="Ingen aktiv användare"):
        call_command("issue_enrolment_code", "nobody")


def test_the_admin_action_issues_a_code(world):
    admin = get_user_model().objects.create_superuser("root", "root@kommun.invalid", PASSWORD)
    client = Client()
    client.force_login(admin)
    target = world.people["unit_head"]
    response = client.post(
        "/admin/accounts/user/",
        {"action": "issue_enrolment_codes", "_selected_action": [target.pk]},
        follow=True,
    )
    assert "Registreringskod för unit_head" in response.content.decode()
    row = EnrolmentCode.objects.get(user=target)
    assert row.issued_by == admin
    logged = Change.objects.get(event="accounts.enrolment_code.issued")
    assert (logged.actor, logged.system_actor) == (admin, "")
    assert set(logged.changed) == {"user", "expires_at"}
    assert row.used_at is None
