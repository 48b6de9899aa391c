"""The product as the README deploys it: gunicorn with DEBUG=false behind a TLS proxy.

Runs only when TILLIT_PRODUCTION_URL names such a server (`.ci/run` starts one on PostgreSQL
after migrate, collectstatic and check --deploy). The test creates its own staff in the
server's database through `tillit shell`, logs in with password and TOTP code as each of them,
and opens a page of every app, the hashed static files and the API with a token.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest

BASE_URL = os.environ.get("TILLIT_PRODUCTION_URL", "")
pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(not BASE_URL, reason="TILLIT_PRODUCTION_URL names no production server"),
]

PASSWORD = "prod-ci-lösenord-2026"  # a throwaway CI database only
TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, hex

# Staff in an invented organisation; idempotent, so a rerun against the same database works.
SETUP = f"""
import datetime as dt
from django_otp.plugins.otp_totp.models import TOTPDevice
from tillit.accounts.models import User
from tillit.admin_site import administrator_permissions
from tillit.organisation.models import Group, Membership, Municipality, Process, Unit
from tillit.organisation.roles import Role

start = dt.date(2020, 1, 1)
municipality, _ = Municipality.objects.get_or_create(name="Driftkommunen", code="9999")
head_defaults = dict(first_name="Enhetschef", last_name="Driftsson")
head, _ = User.objects.get_or_create(username="prodci.enhetschef", defaults=head_defaults)
process, _ = Process.objects.get_or_create(municipality=municipality, name="Drift", owner=head)
unit, _ = Unit.objects.get_or_create(process=process, name="Barn och familj (drift)")
group, _ = Group.objects.get_or_create(unit=unit, name="Mottagning")

def person(username, role, **place):
    user, _ = User.objects.get_or_create(
        username=username, defaults=dict(first_name="Drift", last_name="Driftsson")
    )
    if not user.check_password({PASSWORD!r}):
        user.set_password({PASSWORD!r})
        user.save()
    if not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(user=user, name="Tillit", key={TOTP_KEY!r}, confirmed=True)
    Membership.objects.get_or_create(user=user, role=role, valid_from=start, **place)
    return user

person("prodci.enhetschef", Role.UNIT_HEAD, unit=unit)
person("prodci.mottagning", Role.SOCIAL_WORKER, unit=unit, group=group)
person("prodci.kvalitet", Role.QUALITY_DEVELOPER, unit=unit)
person("prodci.kundval", Role.KUNDVAL_OFFICER, unit=unit)
admin = person("prodci.admin", Role.SYSTEM_ADMIN)
admin.is_staff = True
admin.save()
admin.user_permissions.set(administrator_permissions())
"""


def _tillit(*args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tillit.settings"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tillit", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """Speaks to gunicorn as the TLS proxy would (X-Forwarded-Proto: https) and keeps the
    cookies itself: they are Secure, which a cookie jar would not send over plain HTTP."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)
        self.origin = "https://" + urllib.parse.urlsplit(BASE_URL).netloc

    def request(
        self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(BASE_URL.rstrip("/") + path, data=body)  # noqa: S310
        request.add_header("X-Forwarded-Proto", "https")
        if body is not None:
            request.add_header("Origin", self.origin)
            request.add_header("Referer", self.origin + path)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        text = response.read().decode("utf-8", errors="replace")
        return response.status, dict(response.headers.items()), text

    def get(self, path: str) -> str:
        status, _headers, text = self.request(path)
        assert status == 200, f"GET {path} answered {status}"
        return text

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str]]:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no CSRF token on {path}"
        status, headers, _text = self.request(
            path, {"csrfmiddlewaretoken": token.group(1), **fields}
        )
        return status, headers

    def login(self, username: str) -> None:
        from django_otp.oath import totp

        status, headers = self.post_form(
            "/konto/logga-in/", {"username": username, "password": PASSWORD}
        )
        assert status == 302, f"login of {username} answered {status}"
        assert "logga-in" not in headers["Location"], f"login of {username} was refused"
        status, headers, _text = self.request("/start/")
        assert status == 302, "a password alone let the user in"
        assert headers["Location"].startswith("/konto/tvafaktor/"), headers["Location"]
        code = f"{totp(bytes.fromhex(TOTP_KEY)):06d}"
        status, _headers = self.post_form("/konto/tvafaktor/", {"token": code})
        assert status == 302, f"second factor of {username} answered {status}"


@pytest.fixture(scope="module")
def staff() -> None:
    _tillit("shell", "-c", SETUP)


@pytest.fixture(scope="module")
def logged_in(staff: None) -> dict[str, Browser]:
    """One login per person: a TOTP code is accepted once per 30-second step."""
    return {}


# A page of every app, each read by someone whose work it is.
PAGES = [
    ("prodci.enhetschef", "/start/"),
    ("prodci.enhetschef", "/organisation/"),
    ("prodci.enhetschef", "/personer/"),
    ("prodci.mottagning", "/barn-och-familj/anmalan/ny/"),
    ("prodci.kvalitet", "/behorighet/granskning/"),
    ("prodci.kvalitet", "/loggar/"),
    ("prodci.kundval", "/kundval/"),
    ("prodci.admin", "/admin/"),
    ("prodci.admin", "/admin/organisation/unit/"),
]


@pytest.mark.parametrize(("username", "path"), PAGES)
def test_a_page_of_every_app_answers_through_gunicorn(
    logged_in: dict[str, Browser], username: str, path: str
):
    if username not in logged_in:
        logged_in[username] = Browser()
        logged_in[username].login(username)
    page = logged_in[username].get(path)
    assert "<html" in page
    assert "Serverfel" not in page


def test_the_public_pages_and_hashed_static_files_are_served(staff: None):
    browser = Browser()
    page = browser.get("/kundval/ansok/")
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert assets, "the page links no static files"
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset), f"{asset} is not a hashed name"
        status, headers, _body = browser.request(asset)
        assert status == 200, f"{asset} answered {status}"
        assert "immutable" in headers.get("Cache-Control", ""), asset
    status, _headers, _body = browser.request("/static/tillit/tillit.no-such-hash.css")
    assert status == 404


def test_the_api_answers_with_a_token_issued_as_the_readme_says(staff: None):
    token = _tillit("issue_api_token", "prodci.kundval", "drift-ci", "--days", "1").strip()
    browser = Browser()
    bearer = {"Authorization": f"Bearer {token}"}
    status, _headers, body = browser.request("/api/me", headers=bearer)
    assert status == 200, body
    assert "prodci.kundval" in body
    status, _headers, _body = browser.request("/api/openapi.json")
    assert status == 200
