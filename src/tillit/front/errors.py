"""The service's own error pages.

Django's default handlers render 400.html, 403.html, 404.html and 500.html from
`tillit/templates`. The CSRF failure page gets its own view only so that it is rendered with
the request (menu, user bar, language switcher), which Django's default CSRF view omits.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
