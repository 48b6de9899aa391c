"""The public pages: no login, nothing personal shown (docs/public.md). Thin: the rules are
in comparison.py, the changes in actions.py."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tillit import throttle
from tillit.access.decorators import public
from tillit.children.models import Report
from tillit.deadlines.engine import protective_due
from tillit.deadlines.models import DEFAULT_ON_CALL_NAME, UnitDeadlinePolicy, policy_for
from tillit.kundval.models import KundvalArea
from tillit.organisation.models import Municipality
from tillit.public import comparison, figures
from tillit.public.actions import (
    Ask,
    Concern,
    receipt_number,
    submit_choice_request,
    submit_concern,
    submit_defect_report,
)
from tillit.public.forms import MAX_BODY_BYTES, AskForm, ConcernForm, DefectForm, PublicForm
from tillit.public.identify import identity_of, login_url
from tillit.public.models import ChoiceRequest, PublicService

log = logging.getLogger(__name__)
PAGE_SIZE = 20


def optional_url(name: str, *args: object) -> str:
    """The URL of a page another part of the product may provide, or "" while it does not
    exist (e.g. the complaint e-service, `incidents:complaint_public`): its link then hides."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""


def _service() -> PublicService | None:
    return PublicService.objects.select_related("municipality", "report_group").first()


def _municipality_name(service: PublicService | None) -> str:
    if service is not None:
        return service.municipality.name
    return Municipality.objects.order_by("pk").values_list("name", flat=True).first() or ""


def page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    service = _service()
    full = {
        "service": service,
        "public_municipality": _municipality_name(service),
        "complaint_url": optional_url("incidents:complaint_public"),
        **(context or {}),
    }
    return render(request, template, full, status=status)


def _guard(request: HttpRequest, group: str) -> HttpResponse | None:
    """Refuse a flood (429, counted per client in the shared cache) and an oversized body (413)
    before the form is read."""
    if throttle.exceeded(
        request, group=group, limit=settings.TILLIT_PUBLIC_POSTS_PER_HOUR, period="h", add=True
    ):
        return page(request, "public/too_many.html", status=429)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
        return page(request, "public/too_large.html", status=413)
    return None


def _bot(request: HttpRequest, form: PublicForm) -> HttpResponse | None:
    if form.is_bot():
        return page(request, "public/refused.html", status=400)
    return None


# --- Front page ------------------------------------------------------------------------------


@public
def home(request: HttpRequest) -> HttpResponse:
    staff_start = reverse("front:start") if request.user.is_authenticated else ""
    return page(request, "public/home.html", {"staff_start": staff_start})


# --- Jämföraren ------------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@public
def providers(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    areas = comparison.areas_with_providers(today)
    area_id = _int(request.GET.get("omrade"))
    area = next((a for a in areas if a.pk == area_id), None)
    if area is None and len(areas) == 1:
        area = areas[0]
    context: dict[str, Any] = {"areas": areas, "area": area}
    if area is not None:
        found = comparison.entries(area, today)
        filters = comparison.Filters(
            district=_int(request.GET.get("distrikt")),
            language=request.GET.get("sprak", "")[:100],
            specialisation=request.GET.get("inriktning", "")[:100],
            ownership=request.GET.get("agande", "")
            if request.GET.get("agande") in {comparison.MUNICIPAL, comparison.PRIVATE}
            else "",
            free_only=request.GET.get("ledig") == "1",
        )
        kept = [e for e in found if filters.keep(e)]
        paginator = Paginator(kept, PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("sida"))
        query = request.GET.copy()
        query.pop("sida", None)
        context.update(
            {
                "filters": filters,
                "options": comparison.options(area, found, today),
                "page_obj": page_obj,
                "total": len(found),
                "shown": len(kept),
                "query": query.urlencode(),
                "compare_error": request.GET.get("fel") == "antal",
                "min_compared": comparison.MIN_COMPARED,
                "max_compared": comparison.MAX_COMPARED,
            }
        )
    return page(request, "public/providers.html", context)


@public
def provider(request: HttpRequest, provider_id: int) -> HttpResponse:
    places = comparison.places(provider_id, timezone.localdate())
    if not places:  # no such provider, or not authorised anywhere today
        raise Http404
    found = places[0][1].provider
    return page(
        request,
        "public/provider.html",
        {
            "provider": found,
            "profile": places[0][1].profile,
            "places": places,
            "quality": figures.quality_for([found])[found.pk],
            "min_answers": comparison.min_answers(),
        },
    )


@public
def compare(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    area = KundvalArea.objects.filter(pk=_int(request.GET.get("omrade")) or 0).first()
    if area is None:
        return page(request, "public/compare_empty.html")
    wanted = [i for i in (_int(v) for v in request.GET.getlist("anordnare")) if i is not None]
    wanted = list(dict.fromkeys(wanted))
    if not comparison.MIN_COMPARED <= len(wanted) <= comparison.MAX_COMPARED:
        return redirect(f"{reverse('public:providers')}?omrade={area.pk}&fel=antal#jamfor")
    found = comparison.entries(area, today, wanted)
    if len(found) != len(wanted):
        raise Http404
    quality = figures.quality_for([e.provider for e in found])
    measures: dict[str, str] = {}
    for entry in found:
        for figure in quality[entry.provider.pk].surveys:
            measures.setdefault(figure.measure, figure.label)
    # Each row's cells carry their entry, so that every cell names its provider on a phone.
    survey_rows = [
        (
            label,
            [
                (e, next((f for f in quality[e.provider.pk].surveys if f.measure == m), None))
                for e in found
            ],
        )
        for m, label in sorted(measures.items(), key=lambda item: item[1])
    ]
    return page(
        request,
        "public/compare.html",
        {
            "area": area,
            "entries": found,
            "columns": [(e, quality[e.provider.pk]) for e in found],
            "survey_rows": survey_rows,
            "min_answers": comparison.min_answers(),
        },
    )


# --- Ask to choose or change provider ------------------------------------------------------------


@public
def ask(request: HttpRequest, area_id: int, provider_id: int) -> HttpResponse:
    today = timezone.localdate()
    area = get_object_or_404(KundvalArea, pk=area_id)
    entry = next(iter(comparison.entries(area, today, [provider_id])), None)
    if entry is None:
        raise Http404
    if request.method == "POST":
        refused = _guard(request, "public-val")
        if refused is not None:
            return refused
    form = AskForm(request.POST if request.method == "POST" else None)
    identity = identity_of(request)
    if request.method == "POST":
        bot = _bot(request, form)
        if bot is not None:
            return bot
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = submit_choice_request(
                    Ask(
                        area=area,
                        provider=entry.provider,
                        customer_name=data["customer_name"],
                        personal_number=data["personal_number"],
                        representative_name=data["representative_name"],
                        representative_relation=data["representative_relation"],
                        phone=data["phone"],
                        email=data["email"],
                        wanted_from=data["wanted_from"],
                        message=data["message"],
                        submission_key=data["submission_key"],
                    ),
                    identity=identity,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("public:ask_receipt", key=made.submission_key)
    return page(
        request,
        "public/ask.html",
        {"form": form, "area": area, "entry": entry, "eid_url": login_url()},
        status=400 if form.is_bound else 200,
    )


@public
def ask_receipt(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    made = get_object_or_404(
        ChoiceRequest.objects.select_related("area", "provider"), submission_key=key
    )
    response = page(request, "public/ask_receipt.html", {"made": made})
    response["Cache-Control"] = "no-store, private"
    return response


# --- Orosanmälan ---------------------------------------------------------------------------------


def _on_call(service: PublicService | None, now: dt.datetime) -> dict[str, Any]:
    """Whether the office is closed now, and the on-call service to call then."""
    if service is None:
        return {"office_open": True, "on_call_name": "", "on_call_phone": ""}
    unit_id = service.report_group.unit_id
    policy = policy_for(unit_id)
    row = UnitDeadlinePolicy.objects.filter(unit_id=unit_id).select_related("on_call_group").first()
    on_call = row.on_call() if row is not None else None
    return {
        "office_open": policy.in_office_hours(timezone.localtime(now)),
        "on_call_name": on_call.name if on_call else str(DEFAULT_ON_CALL_NAME),
        "on_call_phone": on_call.contact if on_call else "",
    }


@public
def concern(request: HttpRequest) -> HttpResponse:
    service = _service()
    if service is None:
        return page(request, "public/concern_closed.html")
    now = timezone.now()
    if request.method == "POST":
        refused = _guard(request, "public-orosanmalan")
        if refused is not None:
            return refused
    form = ConcernForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        bot = _bot(request, form)
        if bot is not None:
            return bot
        if form.is_valid():
            data = form.cleaned_data
            number = data["child_number"]
            try:
                report = submit_concern(
                    Concern(
                        reporter_category=data["reporter_category"],
                        reporter_has_duty=form.has_duty,
                        anonymous=data["anonymous"],
                        reporter_name=data["reporter_name"],
                        reporter_organisation=data["reporter_organisation"],
                        reporter_phone=data["reporter_phone"],
                        reporter_email=data["reporter_email"],
                        child_first_name=data["child_first_name"],
                        child_last_name=data["child_last_name"],
                        child_number=number,
                        child_birth_date=data["child_birth_date"]
                        or (number.birth_date if number else None),
                        concerns=data["concerns"],
                        description=data["description"],
                        submission_key=data["submission_key"],
                    ),
                    service=service,
                    now=now,
                )
            except ValidationError as error:
                form.add_error(None, error)
            except DatabaseError:
                log.exception("Orosanmälan från e-tjänsten kunde inte sparas")
                return page(
                    request,
                    "public/concern_failed.html",
                    {"form": form, **_on_call(service, now)},
                    status=503,
                )
            else:
                return redirect("public:concern_receipt", key=report.submission_key)
    return page(
        request,
        "public/concern.html",
        {"form": form, **_on_call(service, now)},
        status=400 if form.is_bound else 200,
    )


@public
def concern_receipt(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    report = get_object_or_404(Report, submission_key=key, channel="e_tjanst")
    service = _service()
    response = page(
        request,
        "public/concern_receipt.html",
        {
            "number": receipt_number(report),
            "received_at": report.received_at,
            "protective_due": protective_due(
                report.received_at, policy_for(report.unit_id)
            ).effective,
            **_on_call(service, timezone.now()),
        },
    )
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- Accessibility -------------------------------------------------------------------------------


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return page(request, "public/accessibility.html")


@public
def defect(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        refused = _guard(request, "public-tillganglighet")
        if refused is not None:
            return refused
    form = DefectForm(
        request.POST if request.method == "POST" else None,
        initial={"page": request.GET.get("sida", "")[:300]},
    )
    if request.method == "POST":
        bot = _bot(request, form)
        if bot is not None:
            return bot
        if form.is_valid():
            data = form.cleaned_data
            try:
                submit_defect_report(
                    page=data["page"],
                    description=data["description"],
                    contact=data["contact"],
                    key=data["submission_key"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return page(request, "public/defect_thanks.html")
    return page(request, "public/defect.html", {"form": form}, status=400 if form.is_bound else 200)
