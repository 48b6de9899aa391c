"""The compliance figures page and its Excel and CSV downloads: the same numbers in all three."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from tillit.access.decorators import allowed
from tillit.access.policy import Viewer
from tillit.access.reading import staff_user, viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.bounds import BoundedForm
from tillit.children import figures
from tillit.children.figures import LEVELS, Figures, Period, Scope
from tillit.children.figures.trend import TrendPoint, series_names, trend, trend_svg
from tillit.spreadsheet import SafeWriter, safe_append, safe_cell


def _may_see(viewer: Viewer) -> bool:
    return viewer.may_see_compliance_figures


class FiguresForm(BoundedForm):
    period = forms.CharField(label=gettext_lazy("Period"), widget=forms.Select)
    niva = forms.ChoiceField(label=gettext_lazy("Redovisa per"), widget=forms.RadioSelect)
    skal = forms.BooleanField(label=gettext_lazy("Visa skäl till förlängning"), required=False)

    def __init__(self, data: Any, *, scope: Scope, today: dt.date) -> None:
        current = Period.recent(today, months=0, quarters=1, years=0)[0]
        defaults = {"period": current.code, "niva": scope.levels[0]}
        super().__init__({**defaults, **{k: v for k, v in data.items() if v}})
        choices = [(p.code, p.label) for p in Period.recent(today)]
        self.fields["period"].widget.choices = choices
        level_field = cast(forms.ChoiceField, self.fields["niva"])
        level_field.choices = [(level, LEVELS[level]) for level in scope.levels]
        if not scope.may_see_reasons:
            del self.fields["skal"]

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except ValueError:
            raise forms.ValidationError(
                _("Ange en månad som 2026-03 eller ett kvartal som 2026-K1.")
            ) from None


def _figures(request: HttpRequest, action: AccessAction) -> tuple[FiguresForm, Figures | None]:
    viewer = viewer_for(request)
    scope = Scope.of(viewer)
    if scope is None:
        raise PermissionDenied
    form = FiguresForm(request.GET, scope=scope, today=viewer.today)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    result = figures.compute(
        scope, data["period"], data["niva"], viewer.today, with_reasons=data.get("skal", False)
    )
    if result.with_reasons:
        # The grounds are free text about a family: a read of personal data, logged per extension.
        record(
            actor=staff_user(request),
            action=action,
            reads=[
                Read(
                    individual_id=source.individual_id,
                    basis=figures.reason_basis(scope, source.unit_id),
                    unit_id=source.unit_id,
                    object_type=source.object_type,
                    object_id=str(source.object_id),
                )
                for source in result.reason_sources
            ],
            request=request,
        )
    return form, result


@allowed(_may_see)
def page(request: HttpRequest) -> HttpResponse:
    form, result = _figures(request, AccessAction.VIEW)
    return _render(request, form, result)


def _render(request: HttpRequest, form: FiguresForm, result: Figures | None) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "figures": result,
        "definitions": figures.DEFINITIONS,
        "query": request.GET.urlencode(),
    }
    if result is not None:
        lines = [*result.rows, result.total]
        context["all_rows"] = lines
        context["protective_lines"] = [(row, row.protective) for row in lines]
        context["initial_lines"] = [(row, row.initial) for row in lines]
        context["investigation_lines"] = [(row, row.investigation) for row in lines]
        scope = Scope.of(viewer_for(request))
        if scope is not None:
            points = trend(scope, result.period, result.level, result.today)
            context["trend"] = points
            context["trend_svg"] = trend_svg(points)
            context["trend_names"] = series_names()
    return render(request, "children/figures.html", context, status=200 if result else 400)


def _filename(result: Figures, extension: str) -> str:
    return f"nyckeltal-{result.period.code}-{result.level}.{extension}"


def _definition_lines(result: Figures) -> list[list[Any]]:
    lines: list[list[Any]] = [
        [_("Nyckeltal barn och familj"), result.period.label],
        [_("Period"), f"{result.period.first:%Y-%m-%d} – {result.period.last:%Y-%m-%d}"],
        [_("Framtagen"), f"{result.today:%Y-%m-%d}"],
        [_("Redovisat per"), str(LEVELS[result.level])],
    ]
    lines.extend([str(term), str(text)] for term, text in figures.DEFINITIONS)
    return lines


def _csv_cell(value: figures.Cell) -> str:
    # Swedish Excel reads a decimal comma as a number.
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return str(value)


@allowed(_may_see)
def download_csv(request: HttpRequest) -> HttpResponse:
    form, result = _figures(request, AccessAction.EXPORT)
    if result is None:
        return _render(request, form, None)
    out = io.StringIO()
    # Semicolons and a byte-order mark: Excel with Swedish settings uses the comma for decimals
    # and otherwise takes the file for Latin-1, garbling å, ä and ö.
    writer = SafeWriter(out, delimiter=";", lineterminator="\r\n")
    for line in _definition_lines(result):
        writer.writerow(["#", *line])
    writer.writerow([])
    for cells in figures.table(result):
        writer.writerow([_csv_cell(c) for c in cells])
    if result.with_reasons:
        writer.writerow([])
        for cells in figures.reason_table(result):
            writer.writerow([_csv_cell(c) for c in cells])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(result, "csv")}"'
    return response


def _xlsx_cell(value: figures.Cell) -> Any:
    return float(value) if isinstance(value, Decimal) else safe_cell(value)


@allowed(_may_see)
def download_xlsx(request: HttpRequest) -> HttpResponse:
    form, result = _figures(request, AccessAction.EXPORT)
    if result is None:
        return _render(request, form, None)
    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet(_("Nyckeltal"))
    for cells in figures.table(result):
        sheet.append([_xlsx_cell(c) for c in cells])
    sheet.freeze_panes = "B2"
    if result.with_reasons:
        reasons = book.create_sheet(_("Skäl till förlängning"))
        for cells in figures.reason_table(result):
            reasons.append([_xlsx_cell(c) for c in cells])
    scope = Scope.of(viewer_for(request))
    if scope is not None:
        _trend_sheet(
            book.create_sheet(_("Trend")), trend(scope, result.period, result.level, result.today)
        )
    definitions = book.create_sheet(_("Definitioner"))
    for line in _definition_lines(result):
        safe_append(definitions, line)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(result, "xlsx")}"'
    return response


def _trend_sheet(sheet: Worksheet, points: list[TrendPoint]) -> None:
    """The trend's numbers (share on time, %) and the same as an Excel line chart."""
    sheet.append([_("Period"), *series_names()])
    for point in points:
        values = (point.protective, point.initial, point.investigation)
        sheet.append([point.period.short_label, *(_xlsx_cell(v) for v in values)])
    chart = LineChart()
    chart.title = _("Andel i tid (%)")
    chart.y_axis.title = "%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.height, chart.width = 8, 16
    last = len(points) + 1
    chart.add_data(
        Reference(sheet, min_col=2, max_col=4, min_row=1, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    sheet.add_chart(chart, "F2")
