"""The quality developer's imports of survey results and staff continuity: a dry run lists
every bad row."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed
from tillit.access.policy import Viewer
from tillit.surveys.actions import import_continuity, import_results
from tillit.surveys.continuity import parse_continuity
from tillit.surveys.forms import ContinuityImportForm, ImportForm
from tillit.surveys.importing import parse
from tillit.surveys.models import StaffContinuity, SurveyReference, SurveyResult


def may_import_surveys(viewer: Viewer) -> bool:
    return bool(viewer.quality_unit_ids)


@allowed(may_import_surveys)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    parsed = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            parsed = parse(form.cleaned_data["file"].read())
            if parsed.ok and not form.cleaned_data["dry_run"]:
                try:
                    stored = import_results(parsed, by=request.user)  # type: ignore[arg-type]
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("%(n)s rader är importerade.") % {"n": stored})
                    return redirect("surveys:import")
            elif parsed.ok:
                status = 200
    latest = SurveyResult.objects.order_by("-year").values_list("year", flat=True).first()
    return render(
        request,
        "surveys/import.html",
        {
            "form": form,
            "parsed": parsed,
            "count": SurveyResult.objects.count(),
            "references": SurveyReference.objects.count(),
            "latest": latest,
        },
        status=status,
    )


@allowed(may_import_surveys)
def import_continuity_page(request: HttpRequest) -> HttpResponse:
    form = ContinuityImportForm(request.POST or None, request.FILES or None)
    parsed = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            parsed = parse_continuity(form.cleaned_data["file"].read())
            if parsed.ok and not form.cleaned_data["dry_run"]:
                try:
                    stored = import_continuity(parsed, by=request.user)  # type: ignore[arg-type]
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("%(n)s rader är importerade.") % {"n": stored})
                    return redirect("surveys:import_continuity")
            elif parsed.ok:
                status = 200
    latest = StaffContinuity.objects.values_list("period_to", flat=True).first()
    return render(
        request,
        "surveys/import_continuity.html",
        {
            "form": form,
            "parsed": parsed,
            "count": StaffContinuity.objects.filter(provider__isnull=False).count(),
            "references": StaffContinuity.objects.filter(provider__isnull=True).count(),
            "latest": latest,
        },
        status=status,
    )
