"""The provider portal: own customers, performance reporting, payment bases, presentation."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed
from tillit.access.presentation import PersonCard
from tillit.access.reading import staff_user, viewer_for
from tillit.directory.person_forms import SearchForm
from tillit.directory.search import person_filter
from tillit.form_errors import apply_errors
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
from tillit.organisation.models import Provider
from tillit.paging import page_of
from tillit.versioning import is_stale

RECENT_REPORTS = 50
SEARCH_HITS = 20  # customers offered for one search; more means: type more of the name


def _provider(request: HttpRequest) -> Provider:
    """The provider the staff member works for (the first, when several)."""
    found = own_providers(viewer_for(request)).order_by("name").first()
    assert found is not None  # noqa: S101 - provider_staff guarantees one
    return found


def _held_choices(request: HttpRequest, provider: Provider, query: str = "") -> QuerySet[Choice]:
    """The provider's choices whose customer the viewer reaches, by customer name; narrowed by
    a search on name or personnummer (ValidationError for a malformed number)."""
    viewer = viewer_for(request)
    choices = Choice.objects.filter(provider=provider, voucher__individual__in=customers(viewer))
    if query:
        choices = choices.filter(person_filter(viewer, query, "voucher__individual__"))
    return choices.select_related("voucher__individual", "voucher__area").order_by(
        "voucher__individual__last_name",
        "voucher__individual__first_name",
        "voucher__individual_id",
        "valid_from",
        "pk",
    )


def _with_cards(request: HttpRequest, choices: list[Choice]) -> list[tuple[Choice, PersonCard]]:
    """Each choice beside its customer's card; the customers read in one log write."""
    cards = {
        c.id: c for c in read_customers(request, [choice.voucher.individual for choice in choices])
    }
    return [
        (c, cards[c.voucher.individual_id]) for c in choices if c.voucher.individual_id in cards
    ]


def _searched(request: HttpRequest, form: SearchForm, provider: Provider) -> QuerySet[Choice]:
    if form.is_bound and form.is_valid():
        try:
            return _held_choices(request, provider, form.cleaned_data["q"])
        except ValidationError as error:
            form.add_error("q", error)
    if form.is_bound:
        return Choice.objects.none()
    return _held_choices(request, provider)


@allowed(provider_staff)
def portal(request: HttpRequest) -> HttpResponse:
    provider = _provider(request)
    bases = PaymentLine.objects.filter(provider=provider).totals(
        "run__month", "run_id", "run__status"
    )[::-1]
    form = SearchForm(request.GET if request.GET.get("q") else None)
    page = page_of(_searched(request, form, provider), request)
    return render(
        request,
        "kundval/portal.html",
        {
            "provider": provider,
            "rows": _with_cards(request, page.rows),
            "page": page,
            "form": form,
            "bases": bases,
        },
    )


def _chosen(request: HttpRequest, provider: Provider) -> tuple[Choice, PersonCard] | None:
    """The customer the report is for: the posted voucher, or the one picked from the search
    (`?check=N`), when the provider holds it and the viewer reaches the customer."""
    raw = request.POST.get("voucher") if request.method == "POST" else request.GET.get("check")
    if not raw or not raw.isdecimal() or len(raw) > 12:  # isdigit() passes "²"
        return None
    choice = _held_choices(request, provider).filter(voucher_id=int(raw)).first()
    if choice is None:
        return None
    found = _with_cards(request, [choice])
    return found[0] if found else None


@allowed(provider_staff)
def portal_report(request: HttpRequest) -> HttpResponse:
    """Report a visit for a customer found by name or personnummer (a search, then a pick:
    no list of every customer), or upload a file."""
    viewer = viewer_for(request)
    provider = _provider(request)
    chosen = _chosen(request, provider)
    choices = (
        [(chosen[0].voucher_id, f"{chosen[1].name} – {_('check')} {chosen[0].voucher_id}")]
        if chosen
        else []
    )
    report_form = forms.ReportForm(
        request.POST if "single" in request.POST else None,
        vouchers=choices,
        initial={"voucher": chosen[0].voucher_id} if chosen else None,
    )
    search_form = SearchForm(request.GET if request.GET.get("q") else None)
    hits = (
        _with_cards(request, list(_searched(request, search_form, provider)[:SEARCH_HITS]))
        if search_form.is_bound and chosen is None
        else None
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
                by=staff_user(request),
                source=ReportSource.PORTAL,
                today=viewer.today,
            )
        except RejectedRowsError as error:
            apply_errors(report_form, ValidationError(error.rows[0].messages))
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
                    by=staff_user(request),
                    source=ReportSource.CSV,
                    today=viewer.today,
                )
            except RejectedRowsError as error:
                file_errors = [(e.row, e.messages) for e in error.rows]
            else:
                messages.success(request, _("%(n)d rader är sparade.") % {"n": len(saved)})
                return redirect("kundval:portal_report")
    recent = PerformanceReport.objects.filter(provider=provider).order_by("-reported_at", "-pk")[
        :RECENT_REPORTS
    ]
    return render(
        request,
        "kundval/portal_report.html",
        {
            "provider": provider,
            "report_form": report_form,
            "search_form": search_form,
            "chosen": chosen,
            "hits": hits,
            "search_hits": SEARCH_HITS,
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
            save_profile(
                provider,
                form.cleaned_data,
                version=form.cleaned_data["version"],
                by=staff_user(request),
            )
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
