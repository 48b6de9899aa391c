"""The login point of the public e-services: who is asking, as far as we know.

Today nobody logs in on the public side: `identity_of` answers None and the kundval officer
matches a request to the customer's voucher by hand (and calls the customer before
confirming). An e-legitimation (BankID or Freja through the municipality's identity provider,
over OpenID Connect) plugs in here:

1. A second OIDC client (its own client id; the staff one stays for staff) whose callback
   stores the verified personnummer claim in the session under `SESSION_KEY` as
   `{"method": "e_legitimation", "subject": <sub>, "personal_number": <12 digits>}` with a
   short lifetime; it never logs the person in as a Django user.
2. `identity_of` reads it back; the form then shows the personnummer as verified and
   `submit_choice_request` stores `identity_method="e_legitimation"` and the subject, so the
   officer sees that the request needs no call-back to confirm who asked.
3. `login_url` returns the URL of the eID start when `TILLIT_PUBLIC_EID_LOGIN_URL` is set; the
   pages show "Logga in med e-legitimation" only then.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "tillit_public_identity"


@dataclass(frozen=True)
class Identity:
    method: str
    subject: str
    personal_number: str


def identity_of(request: HttpRequest) -> Identity | None:
    """The person's verified identity, when an eID provider vouched for it in this session."""
    if not login_url():
        return None
    stored = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not isinstance(stored, dict):
        return None
    try:
        return Identity(stored["method"], stored["subject"], stored["personal_number"])
    except KeyError:
        return None


def login_url() -> str:
    return str(getattr(settings, "TILLIT_PUBLIC_EID_LOGIN_URL", "") or "")
