"""Single sign-on maps the identity provider's claim to an existing, active account only."""

import pytest
from django.test import RequestFactory

from tillit.accounts.oidc import TillitOIDCBackend


@pytest.fixture
def backend(settings):
    settings.OIDC_RP_CLIENT_ID = "tillit"
    settings.OIDC_RP_CLIENT_SECRET = "test-only"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.kommun.invalid/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.kommun.invalid/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.kommun.invalid/jwks"
    settings.OIDC_USERNAME_CLAIM = "email"
    return TillitOIDCBackend()


def test_a_known_email_finds_the_account(world, backend):
    user = world.people["unit_head"]
    user.email = "Enhetschef@Kommun.invalid"
    user.save(update_fields=["email"])
    assert list(backend.filter_users_by_claims({"email": "enhetschef@kommun.invalid"})) == [user]


@pytest.mark.parametrize("claims", [{}, {"email": ""}, {"email": "okand@kommun.invalid"}])
def test_unknown_or_missing_claims_find_nobody(world, backend, claims):
    assert not backend.filter_users_by_claims(claims).exists()


def test_an_inactive_account_is_not_found(world, backend):
    user = world.people["unit_head"]
    user.email = "chef@kommun.invalid"
    user.is_active = False
    user.save(update_fields=["email", "is_active"])
    assert not backend.filter_users_by_claims({"email": "chef@kommun.invalid"}).exists()


def test_no_account_is_created_for_an_unknown_person(world, backend, monkeypatch):
    from tillit.accounts.models import User

    before = User.objects.count()
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: {"email": "ny@kommun.invalid"})
    assert backend.get_or_create_user("access-token", "id-token", {}) is None
    assert User.objects.count() == before


def test_a_known_person_is_logged_in_and_marked_as_two_factor(world, backend, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    from tillit.accounts.second_factor import OIDC_SESSION_FLAG

    user = world.people["unit_head"]
    user.email = "chef@kommun.invalid"
    user.save(update_fields=["email"])
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: {"email": "chef@kommun.invalid"})
    assert backend.get_or_create_user("access-token", "id-token", {}) == user
    request = RequestFactory().get("/")
    request.session = SessionStore()
    monkeypatch.setattr(
        "mozilla_django_oidc.auth.OIDCAuthenticationBackend.authenticate",
        lambda self, request, **kw: user,
    )
    assert backend.authenticate(request) == user
    assert request.session[OIDC_SESSION_FLAG] is True


# --- The return from the identity provider ------------------------------------------------------


@pytest.fixture
def callback(backend, settings):
    """The callback view with Tillit's backend, as settings.py wires them with OIDC turned on."""
    from tillit.accounts.oidc import CallbackView

    settings.AUTHENTICATION_BACKENDS = ["tillit.accounts.oidc.TillitOIDCBackend"]
    settings.TILLIT_LOGIN_FAILURES_PER_ADDRESS = 2
    # The redirect URI sent with the code names the callback, whose URLs exist only with OIDC on.
    settings.OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:login"
    return CallbackView.as_view()


def _return(callback, address="198.51.100.4", **query):
    """A return to the callback from a browser whose session started a login (state "s")."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/konto/oidc/callback/", query, REMOTE_ADDR=address)
    request.session = SessionStore()
    request.session["oidc_states"] = {"s": {"nonce": "n", "code_verifier": None}}
    request.session.save()
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    return callback(request)


def test_a_code_the_identity_provider_refuses_is_a_failed_login_not_a_server_error(
    world, callback, monkeypatch
):
    import requests

    def refused(self, payload):
        raise requests.HTTPError("Get Token Error (status: 400, body: invalid_grant)")

    monkeypatch.setattr(TillitOIDCBackend, "get_token", refused)
    answer = _return(callback, code="påhittad", state="s")
    assert answer.status_code == 302
    assert answer.url == "/konto/logga-in/"


def test_failed_returns_count_as_failed_logins_from_the_address(world, callback, monkeypatch):
    asked = []

    def unknown_person(self, request, **kwargs):
        asked.append(kwargs)
        return

    monkeypatch.setattr(TillitOIDCBackend, "authenticate", unknown_person)
    assert _return(callback, code="c1", state="s").status_code == 302
    assert _return(callback, error="access_denied", state="s").status_code == 302
    # The limit (2) is used up: the next return is refused before the provider is asked.
    refused = _return(callback, code="c3", state="s")
    assert refused.status_code == 429
    assert "För många misslyckade inloggningar" in refused.content.decode()
    assert len(asked) == 1
    # The same count as wrong passwords: the password form is closed to the address too.
    from django.test import Client

    login = Client(REMOTE_ADDR="198.51.100.4").post(
        "/konto/logga-in/", {"username": "unit_head", "password": "fel"}
    )
    assert login.status_code == 429
    # Another address is not affected.
    assert _return(callback, address="198.51.100.5", code="c4", state="s").status_code == 302
