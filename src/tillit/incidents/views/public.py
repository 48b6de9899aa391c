"""The public e-service for complaints and suggestions (`/synpunkter/`): no login, anonymous
allowed. Public pages (`access.decorators.public`): the form, and the receipt and status pages
that only the holder of the secret link reaches. They show no personal data: the status page
says where the matter stands, never what it says or who sent it.

Robots: a hidden field people leave empty (a form that fills it is not stored), and at most
TILLIT_COMPLAINTS_PER_HOUR posts per client address and hour, counted in the shared cache.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from tillit import throttle
from tillit.access.decorators import public
from tillit.form_errors import apply_errors
from tillit.incidents.actions.complaints import E_SERVICE, register_complaint
from tillit.incidents.forms import PublicComplaintForm
from tillit.incidents.models import Complaint, ComplaintChannel
from tillit.kundval.models import Authorisation
from tillit.organisation.models import Provider, Unit

_NO_TOKEN = "-" * 43


def _providers() -> QuerySet[Provider]:
    in_force = Authorisation.objects.in_force(timezone.localdate()).values("provider_id")
    return Provider.objects.filter(Q(pk__in=in_force) | Q(is_municipal=True)).order_by("name")


def _form(request: HttpRequest, posted: bool) -> PublicComplaintForm:
    return PublicComplaintForm(
        request.POST if posted else None,
        units=Unit.objects.order_by("name"),
        providers=_providers(),
    )


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@public
def complaint_public(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    if posted and throttle.exceeded(
        request,
        group="synpunkter",
        limit=settings.TILLIT_COMPLAINTS_PER_HOUR,
        period="h",
        add=True,
    ):
        return render(
            request,
            "incidents/public/form.html",
            {
                "form": _form(request, False),
                "refusal": _(
                    "Det har kommit för många meddelanden från din adress den senaste timmen. "
                    "Försök igen om en timme, eller ring kommunens kontaktcenter."
                ),
            },
            status=429,
        )
    form = _form(request, posted)
    if posted and form.is_robot:
        return render(
            request,
            "incidents/public/form.html",
            {"form": _form(request, False), "refusal": _("Meddelandet kunde inte tas emot.")},
            status=400,
        )
    if posted and form.is_valid():
        data = form.cleaned_data
        today = timezone.localdate()
        try:
            made = register_complaint(
                kind=data["kind"],
                channel=ComplaintChannel.E_SERVICE,
                unit=data["unit"],
                provider=data["provider"],
                category=data["category"],
                description=data["description"],
                anonymous=data["anonymous"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                wants_answer=data["wants_answer"],
                received_on=today,
                by=E_SERVICE,
                today=today,
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(
                "incidents:complaint_receipt", complaint_id=made.pk, token=made.status_token
            )
    return render(
        request, "incidents/public/form.html", {"form": form}, status=400 if posted else 200
    )


def _by_token(complaint_id: int, token: str) -> Complaint:
    found = (
        Complaint.objects.filter(pk=complaint_id, channel=ComplaintChannel.E_SERVICE)
        .select_related("unit")
        .first()
    )
    expected = found.status_token if found is not None and found.status_token else _NO_TOKEN
    if not constant_time_compare(token, expected) or found is None:
        raise Http404
    return found


@public
def complaint_receipt(request: HttpRequest, complaint_id: int, token: str) -> HttpResponse:
    found = _by_token(complaint_id, token)
    return _private(
        render(
            request,
            "incidents/public/receipt.html",
            {
                "complaint": found,
                "status_url": request.build_absolute_uri(
                    reverse("incidents:complaint_status", args=[found.pk, found.status_token])
                ),
            },
        )
    )


@public
def complaint_status(request: HttpRequest, complaint_id: int, token: str) -> HttpResponse:
    found = _by_token(complaint_id, token)
    return _private(render(request, "incidents/public/status.html", {"complaint": found}))
