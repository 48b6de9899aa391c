"""Staff who must use a second factor reach only the login and public pages until they have."""

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


def _is_public(request: HttpRequest) -> bool:
    """Pages open to anyone (marked `login_not_required`, see access.decorators.public) need no
    second factor either: logging out would show them all the same."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "login_required", True) is False
