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
