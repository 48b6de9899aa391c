from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from tillit.accounts.forms import EnrolmentCodeForm, LoginForm, TokenForm
from tillit.accounts.limits import login_failures_exceeded
from tillit.accounts.models import User
from tillit.accounts.second_factor import (
    ENROLMENT_SESSION_FLAG,
    confirmed_device,
    may_enrol,
    pending_device,
    redeem_enrolment_code,
)


class LoginView(auth_views.LoginView):
    """Password login. Failed attempts are counted per client address across usernames; past
    TILLIT_LOGIN_FAILURES_PER_ADDRESS an hour the address is refused (429) before any password
    is checked (failed returns from the identity provider count too, `tillit.accounts.limits`).
    django-axes locks one account at one address after TILLIT_LOCKOUT_FAILURES."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if login_failures_exceeded(request, add=False):
            return render(request, "accounts/too_many.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        login_failures_exceeded(self.request, add=True)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        return context


def _signed_in(request: HttpRequest) -> User:
    """The signed-in, active user of a login_required view (accounts sits below the access
    policy, so it reads the user itself)."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied
    return user


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the TOTP code. A user without a device enrols one, but only after giving an
    enrolment code from an administrator (or having logged in through the identity provider)."""
    user = _signed_in(request)
    confirmed = confirmed_device(user)
    if confirmed is None and not may_enrol(request):
        return _enrolment_code(request)
    device = confirmed or pending_device(user)
    enrolling = confirmed is None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                request.session.pop(ENROLMENT_SESSION_FLAG, None)
            otp_login(request, device)
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("token", _("Koden stämmer inte. Vänta på nästa kod och försök igen."))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr_svg"] = segno.make(device.config_url).svg_inline(scale=4, title=_("QR-kod"))
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/second_factor.html", context)


def _enrolment_code(request: HttpRequest) -> HttpResponse:
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            redeem_enrolment_code(_signed_in(request), form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            request.session[ENROLMENT_SESSION_FLAG] = True
            return redirect("accounts:second_factor")
    return render(request, "accounts/second_factor.html", {"form": form, "needs_code": True})
