"""The e-service: a provider applies for authorisation without an account.

Public pages (`access.decorators.public`): the application form with the terms in force, the
terms themselves, and the receipt and status pages, which only the holder of the application's
secret link reaches. The form takes at most TILLIT_KUNDVAL_APPLICATIONS_PER_HOUR posts per
client address and hour, and refuses a request larger than the documents it may carry before
reading it. Also here: the officer's download of an application's documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from tillit import throttle
from tillit.access.decorators import allowed, public
from tillit.access.policy import Basis
from tillit.access.reading import staff_user, viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.changelog.log import E_SERVICE
from tillit.form_errors import apply_errors
from tillit.kundval.access import officer_municipalities, officers
from tillit.kundval.actions.authorisation import (
    MAX_DOCUMENTS,
    submit_application,
    terms_in_force,
    terms_in_force_for,
)
from tillit.kundval.forms import PublicApplicationForm
from tillit.kundval.models import (
    ApplicationDocument,
    ApplicationSource,
    AuthorisationApplication,
    AuthorisationTerms,
    KundvalArea,
)

# The secret of a status link is 43 characters (secrets.token_urlsafe(32)); compared against
# this when the application does not exist, so a miss takes as long as a wrong token.
_NO_TOKEN = "-" * 43


@dataclass
class OpenArea:
    area: KundvalArea
    terms: AuthorisationTerms


@dataclass
class Offer:
    """What the e-service offers today: the areas open for application with their terms, and
    the general terms of each municipality they belong to."""

    areas: list[OpenArea]
    general: list[AuthorisationTerms]


def offer(today: dt.date) -> Offer:
    """Areas that take applications: general and area terms in force, and districts to apply
    for (submit_application would refuse anything else)."""
    candidates = list(
        KundvalArea.objects.filter(districts__isnull=False)
        .distinct()
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    by_area, general = terms_in_force_for(candidates, today)
    areas = [
        OpenArea(a, by_area[a.pk])
        for a in candidates
        if a.pk in by_area and a.municipality_id in general
    ]
    municipalities = {o.area.municipality_id for o in areas}
    return Offer(areas, [t for m, t in sorted(general.items()) if m in municipalities])


def _max_request_bytes() -> int:
    return (MAX_DOCUMENTS * settings.TILLIT_ATTACHMENT_MAX_MB + 1) * 1024 * 1024


def _over_rate_limit(request: HttpRequest) -> bool:
    """Count this post against the client address; True when it is one too many this hour."""
    return throttle.exceeded(
        request,
        group="kundval-ansokan",
        limit=settings.TILLIT_KUNDVAL_APPLICATIONS_PER_HOUR,
        period="h",
        add=True,
    )


def _refusal(request: HttpRequest, found: Offer, message: str, status: int) -> HttpResponse:
    """The empty form with one message, for a request not even read (too many, too large)."""
    form = PublicApplicationForm(areas=[o.area for o in found.areas])
    return render(
        request,
        "kundval/apply/form.html",
        {"form": form, "offer": found, "refusal": message},
        status=status,
    )


@public
def apply(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    found = offer(today)
    areas = [o.area for o in found.areas]
    if request.method == "POST":
        if _over_rate_limit(request):
            return _refusal(
                request,
                found,
                _(
                    "Det har kommit för många ansökningar från din adress den senaste timmen. "
                    "Försök igen om en timme."
                ),
                429,
            )
        if int(request.META.get("CONTENT_LENGTH") or 0) > _max_request_bytes():
            return _refusal(
                request,
                found,
                _("Ansökan är för stor. Skicka högst %(n)d bilagor om högst %(mb)d MB var.")
                % {"n": MAX_DOCUMENTS, "mb": settings.TILLIT_ATTACHMENT_MAX_MB},
                413,
            )
    posted = request.method == "POST"
    form = PublicApplicationForm(
        request.POST if posted else None, request.FILES if posted else None, areas=areas
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["areas"])
        try:
            made = submit_application(
                by=E_SERVICE,
                municipality=chosen[0].municipality,
                name=data["name"],
                organisation_number=data["organisation_number"],
                contact_name=data["contact_name"],
                email=data["email"],
                phone=data["phone"],
                areas=chosen,
                districts=list(data["districts"]),
                capacities=form.capacities(),
                submitted_on=today,
                source=ApplicationSource.E_SERVICE,
                confirmed_true=data["confirmed_true"],
                documents=data["documents"],
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(
                "kundval:apply_receipt", application_id=made.pk, token=made.status_token
            )
    return render(
        request,
        "kundval/apply/form.html",
        {"form": form, "offer": found},
        status=400 if posted else 200,
    )


def _by_token(application_id: int, token: str) -> AuthorisationApplication:
    """The application whose status link this is; 404 for any other id or token alike."""
    found = AuthorisationApplication.objects.filter(
        pk=application_id, source=ApplicationSource.E_SERVICE
    ).first()
    expected = found.status_token if found is not None and found.status_token else _NO_TOKEN
    if not constant_time_compare(token, expected) or found is None:
        raise Http404
    return found


def _private(response: HttpResponse) -> HttpResponse:
    """Pages behind a secret link: kept out of caches, search engines and Referer headers."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@public
def receipt(request: HttpRequest, application_id: int, token: str) -> HttpResponse:
    found = _by_token(application_id, token)
    return _private(
        render(
            request,
            "kundval/apply/receipt.html",
            {
                "application": found,
                "areas": found.applied_areas.select_related("area"),
                "documents": found.documents.count(),
                "status_url": request.build_absolute_uri(found.status_path()),
                "emailed": bool(settings.EMAIL_HOST),
            },
        )
    )


@public
def status(request: HttpRequest, application_id: int, token: str) -> HttpResponse:
    found = _by_token(application_id, token)
    return _private(render(request, "kundval/apply/status.html", {"application": found}))


def _terms_in_force(terms_id: int) -> AuthorisationTerms:
    """Published terms are public while they are the version in force; others are a 404."""
    found = AuthorisationTerms.objects.filter(pk=terms_id).select_related("area").first()
    if (
        found is None
        or terms_in_force(found.municipality, found.area, timezone.localdate()) != found
    ):
        raise Http404
    return found


@public
def terms(request: HttpRequest, terms_id: int) -> HttpResponse:
    found = _terms_in_force(terms_id)
    return render(request, "kundval/apply/terms.html", {"terms": found})


@public
def terms_document(request: HttpRequest, terms_id: int) -> HttpResponse:
    found = _terms_in_force(terms_id)
    if not found.document:
        raise Http404
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        found.document.open("rb"),
        as_attachment=True,
        filename=found.document.name.rsplit("/", 1)[-1],
    )
    return response


@allowed(officers)
def application_document(request: HttpRequest, document_id: int) -> HttpResponse:
    """An officer downloads a document sent with an application; the read is logged."""
    viewer = viewer_for(request)
    found = (
        ApplicationDocument.objects.filter(
            pk=document_id, application__municipality__in=officer_municipalities(viewer)
        )
        .select_related("application")
        .first()
    )
    if found is None:
        raise Http404
    record(
        actor=staff_user(request),
        action=AccessAction.EXPORT,
        reads=[
            Read(
                individual_id=None,
                basis=Basis.KUNDVAL_AREA,
                object_type="ansokningsbilaga",
                object_id=str(found.pk),
            )
        ],
        request=request,
    )
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        found.file.open("rb"),
        as_attachment=True,
        filename=found.title,
        content_type=found.content_type or "application/octet-stream",
    )
    return response
