"""View guards that ask the policy; a view never reads roles itself."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from tillit.access.policy import Viewer
from tillit.access.reading import viewer_for

View = Callable[..., HttpResponse]


def allowed(rule: Callable[[Viewer], bool]) -> Callable[[View], View]:
    """Log in first; then 403 unless the rule holds for the viewer."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(viewer_for(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def public(view: View) -> View:
    """Open to everyone, logged in or not: pages of the public e-services (a provider applying
    for authorisation without an account). Deny by default means this is said explicitly, the
    way Django marks its login page: with `login_not_required`, which the second-factor
    middleware honours too. A public view shows nothing but what it was built to show."""
    return login_not_required(view)


def logged_in(viewer: Viewer) -> bool:
    """For record pages: the record itself decides, through a logged 404."""
    return viewer.user is not None


def municipal_staff(viewer: Viewer) -> bool:
    return viewer.is_municipal_staff
