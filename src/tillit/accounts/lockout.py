"""What django-axes records of a failed login."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# axes stores the typed username in a 255-character column: a longer one (anything can be typed)
# would make PostgreSQL refuse the row and the login page answer 500. No account has a longer name
# than the user model's 150 characters, so the cut never joins two real accounts.
MAX_USERNAME = 150


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    source = credentials if credentials is not None else request.POST
    return str((source or {}).get("username") or "")[:MAX_USERNAME]
