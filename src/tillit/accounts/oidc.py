"""OpenID Connect single sign-on against the municipality's identity provider.

Only staff who already have an account may log in: the identity provider proves who
they are; Tillit's own memberships decide what they may do.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from tillit.accounts.limits import login_failures_exceeded
from tillit.accounts.models import User
from tillit.accounts.second_factor import OIDC_SESSION_FLAG

logger = logging.getLogger(__name__)


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


class CallbackView(OIDCAuthenticationCallbackView):
    """The return from the identity provider. A failed return counts as a failed login from
    the address (the same count as wrong passwords, TILLIT_LOGIN_FAILURES_PER_ADDRESS); past
    the limit the address is refused (429) before Tillit asks the identity provider anything.
    An identity provider that refuses the code (a made-up or reused one) or does not answer is
    a failed login with a message, not a server error."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if login_failures_exceeded(request, add=False):
            return render(request, "accounts/too_many.html", status=429)
        try:
            response: HttpResponse = super().get(request)
        except requests.RequestException as error:
            logger.warning("OIDC: the identity provider refused or did not answer: %s", error)
            return self.login_failure()
        return response

    def login_failure(self) -> HttpResponse:
        login_failures_exceeded(self.request, add=True)
        messages.error(
            self.request,
            _("Inloggningen via identitetsleverantören misslyckades. Försök igen."),
        )
        return redirect(settings.LOGIN_URL)
