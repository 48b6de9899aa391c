"""Monthly payment runs: run, close, and each provider's basis (page, Excel, PDF), the finance
file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.access.decorators import allowed
from tillit.access.reading import staff_user, viewer_for
from tillit.audit.models import AccessAction
from tillit.directory.person_forms import SearchForm
from tillit.directory.search import person_filter
from tillit.form_errors import apply_errors
from tillit.kundval import exports, forms
from tillit.kundval.access import (
    basis_for,
    officer_municipalities,
    officers,
    officers_or_provider_staff,
    read_basis,
    run_for,
)
from tillit.kundval.actions import payments as payment_actions
from tillit.kundval.models import PaymentLine, PaymentRun
from tillit.kundval.money import from_ore, ore_sum
from tillit.kundval.reach import customers
from tillit.kundval.run_order import has_ended
from tillit.kundval.run_warnings import CHANGE_SHARE, run_warnings
from tillit.organisation.models import Provider
from tillit.paging import page_of


@allowed(officers)
def runs(request: HttpRequest) -> HttpResponse:
    return render(request, "kundval/runs.html", {**_runs(request), "form": forms.RunForm()})


def _runs(request: HttpRequest) -> dict[str, Any]:
    """A page of the municipality's runs, newest month first, each with its exact `total` and
    `count` of lines."""
    viewer = viewer_for(request)
    page = page_of(
        PaymentRun.objects.filter(municipality__in=officer_municipalities(viewer))
        .annotate(total_ore=ore_sum("lines__amount"), count=Count("lines"))
        .order_by("-month", "-pk"),
        request,
    )
    for run in page.rows:
        run.total = from_ore(run.total_ore)  # type: ignore[attr-defined]
    return {"runs": page.rows, "page": page}


@require_POST
@allowed(officers)
def run_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    form = forms.RunForm(request.POST)
    municipality = officer_municipalities(viewer).first()
    if municipality is not None and form.is_valid():
        try:
            run = payment_actions.run_month(
                municipality, form.cleaned_data["month"], now=timezone.now(), by=staff_user(request)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Månaden är beräknad."))
            return redirect("kundval:run", run_id=run.pk)
    return render(request, "kundval/runs.html", {**_runs(request), "form": form}, status=400)


def _totals(run: PaymentRun, provider_ids: set[int] | None) -> list[dict[str, Any]]:
    lines = PaymentLine.objects.filter(run=run)
    if provider_ids is not None:
        lines = lines.filter(provider_id__in=provider_ids)
    return lines.totals("provider__name", "billing", "provider_id")


@allowed(officers_or_provider_staff)
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = run_for(viewer, run_id)
    is_officer = (
        officers(viewer)
        and officer_municipalities(viewer).filter(pk=found.municipality_id).exists()
    )
    totals = _totals(found, None if is_officer else viewer.provider_ids)
    grand = sum((t["total"] for t in totals), Decimal("0.00"))
    return render(
        request,
        "kundval/run.html",
        {
            "run": found,
            "totals": totals,
            "grand": grand,
            "is_officer": is_officer,
            "month_ended": has_ended(found.month, timezone.localdate()),
            "change_percent": int(CHANGE_SHARE * 100),
            "warnings": run_warnings(found) if is_officer and not found.is_closed else [],
        },
    )


@require_POST
@allowed(officers)
def run_again(request: HttpRequest, run_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = run_for(viewer, run_id)
    try:
        payment_actions.run_month(
            found.municipality, found.month, now=timezone.now(), by=staff_user(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Månaden är beräknad på nytt."))
    return redirect("kundval:run", run_id=found.pk)


@require_POST
@allowed(officers)
def run_close(request: HttpRequest, run_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = run_for(viewer, run_id)
    try:
        payment_actions.close_month(found, by=staff_user(request), now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Månaden är stängd."))
    return redirect("kundval:run", run_id=found.pk)


def _basis_lines(run: PaymentRun, provider: Provider) -> QuerySet[PaymentLine]:
    return (
        PaymentLine.objects.filter(run=run, provider=provider)
        .select_related("individual", "area")
        .order_by("individual__last_name", "individual__first_name", "date_from", "pk")
    )


def _basis(
    request: HttpRequest, run_id: int, provider_id: int, action: AccessAction
) -> tuple[PaymentRun, Provider, list[exports.BasisRow]]:
    """Every line of the basis, for the downloads."""
    found, provider = basis_for(request, run_id, provider_id)
    lines = list(_basis_lines(found, provider))
    cards = read_basis(request, lines, provider, action)
    return found, provider, exports.basis_rows(lines, cards)


def _searched_lines(
    request: HttpRequest, form: SearchForm, lines: QuerySet[PaymentLine]
) -> QuerySet[PaymentLine]:
    """The lines of the customers the search finds among those the viewer reaches: a name
    outside the viewer's reach is never matched, so a search tells nothing about them."""
    if not form.is_bound:
        return lines
    if form.is_valid():
        viewer = viewer_for(request)
        try:
            return lines.filter(individual__in=customers(viewer)).filter(
                person_filter(viewer, form.cleaned_data["q"], "individual__")
            )
        except ValidationError as error:
            form.add_error("q", error)
    return lines.none()


@allowed(officers_or_provider_staff)
def basis(request: HttpRequest, run_id: int, provider_id: int) -> HttpResponse:
    """A page of the basis, 50 lines at a time, searchable by customer; the total is the
    whole basis's. Only the customers on the page shown are read (one log write)."""
    found, provider = basis_for(request, run_id, provider_id)
    lines = _basis_lines(found, provider)
    total = from_ore(lines.aggregate(ore=ore_sum("amount"))["ore"])
    form = SearchForm(request.GET if request.GET.get("q") else None)
    page = page_of(_searched_lines(request, form, lines), request)
    cards = read_basis(request, page.rows, provider, AccessAction.LIST)
    return render(
        request,
        "kundval/basis.html",
        {
            "run": found,
            "provider": provider,
            "rows": exports.basis_rows(page.rows, cards),
            "page": page,
            "form": form,
            "total": total,
        },
    )


@allowed(officers_or_provider_staff)
def basis_xlsx(request: HttpRequest, run_id: int, provider_id: int) -> HttpResponse:
    found, provider, rows = _basis(request, run_id, provider_id, AccessAction.EXPORT)
    response = HttpResponse(
        exports.basis_xlsx(found, provider, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"underlag-{found.month:%Y-%m}-{provider.organisation_number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@allowed(officers_or_provider_staff)
def basis_pdf(request: HttpRequest, run_id: int, provider_id: int) -> HttpResponse:
    found, provider, rows = _basis(request, run_id, provider_id, AccessAction.EXPORT)
    response = HttpResponse(
        exports.basis_pdf(found, provider, rows, made_on=viewer_for(request).today),
        content_type="application/pdf",
    )
    name = f"underlag-{found.month:%Y-%m}-{provider.organisation_number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@allowed(officers)
def finance_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = run_for(viewer, run_id)
    if not officer_municipalities(viewer).filter(pk=found.municipality_id).exists():
        raise Http404
    totals = PaymentLine.objects.filter(run=found).totals(
        "provider__name", "provider_id", "provider__organisation_number", "billing", "kind"
    )
    response = HttpResponse(exports.finance_csv(found, totals), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="ekonomi-{found.month:%Y-%m}.csv"'
    return response
