"""The analysis across deviations, complaints and Lex Sarah reports: counts only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tillit.access.decorators import allowed
from tillit.access.policy import Viewer
from tillit.access.reading import viewer_for
from tillit.incidents import access
from tillit.incidents.analysis import analyse, workbook
from tillit.incidents.models import Complaint, Deviation, LexSarahCase
from tillit.incidents.views.common import download


def _year(request: HttpRequest, viewer: Viewer) -> int:
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        return viewer.today.year
    return year if 2000 <= year <= 2100 else viewer.today.year


def _tables(viewer: Viewer, year: int) -> list:  # type: ignore[type-arg]
    """Counts over the viewer's units; leadership sees the whole municipality. Counts name
    nobody, so the case rule that hides a case-linked record's text does not apply here."""
    if viewer.sees_municipal_figures:
        scope: dict[str, object] = {}
    else:
        scope = {"unit_id__in": viewer.head_unit_ids | viewer.quality_unit_ids}
    return analyse(
        Deviation.objects.filter(**scope),
        Complaint.objects.filter(**scope),
        LexSarahCase.objects.filter(**scope),
        year,
    )


@allowed(access.analyses)
def analysis(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    year = _year(request, viewer)
    return render(
        request,
        "incidents/analysis.html",
        {
            "tables": _tables(viewer, year),
            "year": year,
            "years": range(viewer.today.year, viewer.today.year - 5, -1),
        },
    )


@allowed(access.analyses)
def analysis_xlsx(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    year = _year(request, viewer)
    return download(
        workbook(_tables(viewer, year), year),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"avvikelser-klagomal-lex-sarah-{year}.xlsx",
    )
