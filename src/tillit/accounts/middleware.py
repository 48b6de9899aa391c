"""Login middleware: the second factor (staff reach only the login and public pages until
they have one), and the sliding idle timeout of a session."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from tillit.accounts.second_factor import is_second_factor_satisfied

_OPEN_PREFIXES = ("/konto/", "/static/", "/i18n/")


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.REQUIRE_SECOND_FACTOR
            and request.user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not is_second_factor_satisfied(request)
            and not _is_public(request)
        ):
            return HttpResponseRedirect(reverse("accounts:second_factor"))
        return self.get_response(request)


SESSION_REFRESHED = "_tillit_refreshed"
REFRESH_SECONDS = 60


class IdleSessionMiddleware:
    """Keeps the idle timeout sliding, writing the session at most once a minute.

    Saving on every request (SESSION_SAVE_EVERY_REQUEST) costs an UPDATE per page view; with
    this, a session expires between TILLIT_SESSION_MINUTES - 1 and TILLIT_SESSION_MINUTES idle
    minutes after the last request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if session.is_empty():
            return response
        now = int(time.time())
        if session.modified or now - session.get(SESSION_REFRESHED, 0) >= REFRESH_SECONDS:
            session[SESSION_REFRESHED] = now
        return response


def _is_public(request: HttpRequest) -> bool:
    """Pages open to anyone (marked `login_not_required`, see access.decorators.public) need no
    second factor either: logging out would show them all the same."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "login_required", True) is False
