"""Password login, lockout after repeated failures, and the TOTP second factor."""

import pytest
from django.test import Client
from django_otp.oath import totp

from tillit.conftest import PASSWORD

LOGIN = "/konto/logga-in/"


def _attempt(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def test_correct_password_logs_in(world, client):
    response = _attempt(client, "reception_worker", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_gives_a_swedish_message(world, client):
    response = _attempt(client, "reception_worker", "fel-lösenord")
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.content.decode()


@pytest.mark.parametrize(("failures", "locked"), [(4, False), (5, True)])
def test_the_account_locks_after_five_failures(world, client, failures, locked):
    for _ in range(failures):
        _attempt(client, "reception_worker", "fel-lösenord")
    response = _attempt(client, "reception_worker", PASSWORD)
    if locked:
        assert response.status_code == 429
        assert "tillfälligt spärrat" in response.content.decode()
        assert client.get("/").status_code == 302
    else:
        assert response.status_code == 302


def test_the_lock_follows_the_account_across_addresses(world):
    for n in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(LOGIN, {"username": "unit_head", "password": "x"})
    response = Client(REMOTE_ADDR="10.0.1.1").post(
        LOGIN, {"username": "unit_head", "password": PASSWORD}
    )
    assert response.status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.1").post(
        LOGIN, {"username": "reception_worker", "password": PASSWORD}
    )
    assert other.status_code == 302


@pytest.fixture
def second_factor_required(settings):
    settings.REQUIRE_SECOND_FACTOR = True


def test_with_second_factor_required_nothing_opens_before_enrolment(
    world, client, second_factor_required
):
    _attempt(client, "reception_worker", PASSWORD)
    assert client.get("/").url == "/konto/tvafaktor/"
    assert client.get(f"/personer/{world.children['queue'].pk}/").status_code == 302
    page = client.get("/konto/tvafaktor/").content.decode()
    assert "engångskod från en administratör" in page
    assert "<svg" not in page


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_enrolment_with_a_correct_code_opens_the_service(world, client, second_factor_required):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tillit.accounts.second_factor import issue_enrolment_code

    issued = issue_enrolment_code(world.people["reception_worker"], by=None)
    _attempt(client, "reception_worker", PASSWORD)
    client.post("/konto/tvafaktor/", {"code": issued.code})
    assert "Skanna QR-koden" in client.get("/konto/tvafaktor/").content.decode()
    device = TOTPDevice.objects.get(user=world.people["reception_worker"])
    wrong = client.post(
        "/konto/tvafaktor/", {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "Koden stämmer inte" in wrong.content.decode()
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    assert client.post("/konto/tvafaktor/", {"token": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_an_enrolled_user_is_asked_for_the_code_at_next_login(world, second_factor_required):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=world.people["unit_head"], name="app", confirmed=True)
    client = Client()
    _attempt(client, "unit_head", PASSWORD)
    page = client.get("/konto/tvafaktor/").content.decode()
    assert "Ange koden från din autentiseringsapp" in page
    assert "Skanna" not in page
    client.post("/konto/tvafaktor/", {"token": _code(device)})
    assert client.get("/").status_code == 200
