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
    assert client.get("/start/").status_code == 200


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
        assert client.get("/start/").status_code == 302
    else:
        assert response.status_code == 302


def test_a_stranger_cannot_lock_out_a_colleague(world):
    """The lock holds the combination of account and address (AXES_LOCKOUT_PARAMETERS)."""
    for _ in range(5):
        Client(REMOTE_ADDR="10.0.0.9").post(LOGIN, {"username": "unit_head", "password": "x"})
    at_the_strangers = Client(REMOTE_ADDR="10.0.0.9").post(
        LOGIN, {"username": "unit_head", "password": PASSWORD}
    )
    assert at_the_strangers.status_code == 429
    at_her_desk = Client(REMOTE_ADDR="10.0.1.1").post(
        LOGIN, {"username": "unit_head", "password": PASSWORD}
    )
    assert at_her_desk.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "refused"),
    [
        (0, {}, True),  # one address guessing across usernames
        (0, {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}, True),  # a forged header changes nothing
        (1, {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}, False),  # behind a proxy: another client
    ],
)
def test_failures_across_usernames_are_limited_per_address(
    world, settings, proxies, forwarded, refused
):
    settings.TILLIT_LOGIN_FAILURES_PER_ADDRESS = 3
    settings.TILLIT_PROXY_COUNT = proxies
    sprayer = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    for name in ["unit_head", "director", "quality_developer"]:
        assert _attempt(sprayer, name, "Sommar2026!").status_code == 200
    response = Client(REMOTE_ADDR="10.0.0.5", **forwarded).post(
        LOGIN, {"username": "reception_worker", "password": PASSWORD}
    )
    if refused:
        assert response.status_code == 429
        assert "För många misslyckade inloggningar" in response.content.decode()
    else:
        assert response.status_code == 302
    elsewhere = _attempt(Client(REMOTE_ADDR="10.0.0.6"), "director", PASSWORD)
    assert elsewhere.status_code == 302


@pytest.fixture
def second_factor_required(settings):
    settings.REQUIRE_SECOND_FACTOR = True


def test_with_second_factor_required_nothing_opens_before_enrolment(
    world, client, second_factor_required
):
    _attempt(client, "reception_worker", PASSWORD)
    assert client.get("/start/").url == "/konto/tvafaktor/"
    assert client.get(f"/personer/{world.children['queue'].pk}/").status_code == 302
    page = client.get("/konto/tvafaktor/").content.decode()
    assert "engångskod från en administratör" in page
    assert "<svg" not in page


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_enrolment_with_a_correct_code_opens_the_service(world, client, second_factor_required):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tillit.accounts.second_factor import issue_enrolment_code
    from tillit.conftest import TEST_ACTOR

    issued = issue_enrolment_code(world.people["reception_worker"], by=TEST_ACTOR)
    _attempt(client, "reception_worker", PASSWORD)
    client.post("/konto/tvafaktor/", {"code": issued.code})
    assert "Skanna QR-koden" in client.get("/konto/tvafaktor/").content.decode()
    device = TOTPDevice.objects.get(user=world.people["reception_worker"])
    wrong = client.post(
        "/konto/tvafaktor/", {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "Koden stämmer inte" in wrong.content.decode()
    assert client.get("/start/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    assert client.post("/konto/tvafaktor/", {"token": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/start/").status_code == 200


def test_an_enrolled_user_is_asked_for_the_code_at_next_login(world, second_factor_required):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=world.people["unit_head"], name="app", confirmed=True)
    client = Client()
    _attempt(client, "unit_head", PASSWORD)
    page = client.get("/konto/tvafaktor/").content.decode()
    assert "Ange koden från din autentiseringsapp" in page
    assert "Skanna" not in page
    client.post("/konto/tvafaktor/", {"token": _code(device)})
    assert client.get("/start/").status_code == 200
