"""The provider portal: own customers, performance reporting, payment bases, presentation."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed
from tillit.access.presentation import PersonCard
from tillit.access.reading import staff_user, viewer_for
from tillit.kundval import forms
from tillit.kundval.access import own_providers, provider_staff, read_customers
from tillit.kundval.actions.authorisation import save_profile
from tillit.kundval.actions.performance import RejectedRowsError, check_rows, report
from tillit.kundval.models import (
    Choice,
    PaymentLine,
    PerformanceReport,
    ProviderProfile,
    ReportSource,
)
from tillit.kundval.reach import customers
from tillit.kundval.views.officer import add_errors
from tillit.organisation.models import Provider
from tillit.versioning import is_stale

RECENT_REPORTS = 50


def _provider(request: HttpRequest) -> Provider:
    """The provider the staff member works for (the first, when several)."""
    found = own_providers(viewer_for(request)).order_by("name").first()
    assert found is not None  # noqa: S101 - provider_staff guarantees one
    return found


def _held(request: HttpRequest, provider: Provider) -> list[tuple[Choice, PersonCard]]:
    viewer = viewer_for(request)
    reachable = customers(viewer)
    choices = list(
        Choice.objects.filter(provider=provider, voucher__individual__in=reachable)
        .select_related("voucher__individual", "voucher__area")
        .order_by("voucher__individual__last_name", "voucher__individual__first_name", "valid_from")
    )
    cards = {
        c.id: c for c in read_customers(request, [choice.voucher.individual for choice in choices])
    }
    return [
        (c, cards[c.voucher.individual_id]) for c in choices if c.voucher.individual_id in cards
    ]


@allowed(provider_staff)
def portal(request: HttpRequest) -> HttpResponse:
    provider = _provider(request)
    bases = PaymentLine.objects.filter(provider=provider).totals(
        "run__month", "run_id", "run__status"
    )[::-1]
    return render(
        request,
        "kundval/portal.html",
        {"provider": provider, "rows": _held(request, provider), "bases": bases},
    )


@allowed(provider_staff)
def portal_report(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    provider = _provider(request)
    rows = _held(request, provider)
    choices = [(c.voucher_id, f"{card.name} – {_('check')} {c.voucher_id}") for c, card in rows]
    choices = list(dict.fromkeys(choices))
    report_form = forms.ReportForm(
        request.POST if "single" in request.POST else None, vouchers=choices
    )
    upload_form = forms.UploadForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    file_errors: list[tuple[int, list[str]]] | None = None
    checked_rows = 0
    if request.method == "POST" and "single" in request.POST and report_form.is_valid():
        try:
            report(
                provider,
                [report_form.row()],
                user=staff_user(request),
                source=ReportSource.PORTAL,
                today=viewer.today,
            )
        except RejectedRowsError as error:
            add_errors(report_form, ValidationError(error.rows[0].messages))
        else:
            messages.success(request, _("Raden är sparad."))
            return redirect("kundval:portal_report")
    if request.method == "POST" and "upload" in request.POST and upload_form.is_valid():
        parsed = forms.parse_csv(upload_form.cleaned_data["file"].read())
        file_errors = _every_bad_row(provider, parsed, viewer.today)
        checked_rows = len(parsed.rows)
        if not file_errors and not upload_form.cleaned_data["dry_run"]:
            try:
                saved = report(
                    provider,
                    parsed.rows,
                    user=staff_user(request),
                    source=ReportSource.CSV,
                    today=viewer.today,
                )
            except RejectedRowsError as error:
                file_errors = [(e.row, e.messages) for e in error.rows]
            else:
                messages.success(request, _("%(n)d rader är sparade.") % {"n": len(saved)})
                return redirect("kundval:portal_report")
    recent = PerformanceReport.objects.filter(
        provider=provider, voucher_id__in=[c for c, _label in choices]
    ).order_by("-reported_at", "-pk")[:RECENT_REPORTS]
    return render(
        request,
        "kundval/portal_report.html",
        {
            "provider": provider,
            "report_form": report_form,
            "upload_form": upload_form,
            "file_errors": file_errors,
            "checked_rows": checked_rows,
            "recent": recent,
            "columns": ";".join(forms.CSV_COLUMNS),
        },
    )


def _every_bad_row(
    provider: Provider, parsed: forms.ParsedFile, today: dt.date
) -> list[tuple[int, list[str]]]:
    """Rows that could not be read, and the rules' verdict on the rest, by row number."""
    unreadable = {number for number, _problems in parsed.errors}
    readable = [
        (number, row) for number, row in enumerate(parsed.rows, start=1) if number not in unreadable
    ]
    found = list(parsed.errors)
    if readable and 0 not in unreadable:
        checked = check_rows(provider, [row for _n, row in readable], today)
        found += [(readable[e.row - 1][0], e.messages) for e in checked]
    return sorted(found)


@allowed(provider_staff)
def portal_profile(request: HttpRequest) -> HttpResponse:
    provider = _provider(request)
    profile, _created = ProviderProfile.objects.get_or_create(provider=provider)
    form = forms.ProfileForm(
        request.POST or None, instance=profile, initial={"version": profile.version}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(provider, form.cleaned_data, version=form.cleaned_data["version"])
        except ValidationError as error:
            if is_stale(error):  # show what is saved now, with the reason
                profile = ProviderProfile.objects.get(provider=provider)
                form = forms.ProfileForm(instance=profile, initial={"version": profile.version})
                form.full_clean()
                form.cleaned_data = {}
                status = 409
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Presentationen är sparad."))
            return redirect("kundval:portal_profile")
    return render(
        request,
        "kundval/form.html",
        {"form": form, "title": _("Vår presentation"), "area": None},
        status=status,
    )
