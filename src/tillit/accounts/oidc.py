"""OpenID Connect single sign-on against the municipality's identity provider.

Only staff who already have an account may log in: the identity provider proves who
they are; Tillit's own memberships decide what they may do.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from tillit.accounts.models import User
from tillit.accounts.second_factor import OIDC_SESSION_FLAG


class TillitOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        value = claims.get(settings.OIDC_USERNAME_CLAIM)
        if not value:
            return User.objects.none()
        field = "email" if settings.OIDC_USERNAME_CLAIM == "email" else "username"
        return User.objects.filter(**{f"{field}__iexact": value}, is_active=True)

    def authenticate(self, request: Any, **kwargs: Any) -> User | None:
        user: User | None = super().authenticate(request, **kwargs)
        if user is not None and request is not None:
            request.session[OIDC_SESSION_FLAG] = True
        return user
