"""Staff who must use a second factor reach nothing but the login pages until they have."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

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
        ):
            return HttpResponseRedirect(reverse("accounts:second_factor"))
        return self.get_response(request)
