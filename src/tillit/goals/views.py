"""Goal pages: the director's view, each board's dashboard (with PDF and Excel), where the
municipality stands per indicator, and the forms that change goals and figures. Thin: the
figures come from tillit.goals.dashboard, every change from tillit.goals.actions. Aggregates
only, no personal data; open to those who follow the whole municipality's figures."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tillit.access.decorators import allowed
from tillit.access.policy import Viewer
from tillit.access.reading import staff_user, viewer_for
from tillit.form_errors import apply_errors
from tillit.goals import actions, dashboard, ranking, survey
from tillit.goals.dashboard import Dashboard, IndicatorRow, number
from tillit.goals.forms import (
    FollowUpForm,
    GoalForm,
    GroupForm,
    NationalFileForm,
    OwnValuesForm,
    TargetForm,
)
from tillit.goals.kolada.loader import parse_json
from tillit.goals.kolada.municipalities import MUNICIPALITIES, RIKET
from tillit.goals.models import (
    ComparisonGroup,
    Goal,
    Indicator,
    KoladaLoad,
    NationalValue,
    OwnValue,
    SourceKind,
    Standing,
)
from tillit.organisation.models import Board, Municipality, Unit
from tillit.pdf import Document
from tillit.spreadsheet import safe_append, safe_cell

PAGE_SIZE = 50


def may_follow(viewer: Viewer) -> bool:
    return viewer.sees_municipal_figures


def _municipality() -> Municipality:
    found = Municipality.objects.order_by("pk").first()
    if found is None:
        raise Http404
    return found


def _posted(request: HttpRequest) -> Any:
    """The posted data (bound even when empty, so an empty post is refused), or None."""
    return request.POST if request.method == "POST" else None


def place_text(row: IndicatorRow) -> str:
    latest = row.latest
    if latest is None or latest.place is None:
        return "–"
    place = latest.place
    return _("%(rank)s av %(count)s (%(colour)s)") % {
        "rank": place.rank,
        "count": place.count,
        "colour": place.colour.label,
    }


# --- The overview and the board dashboards -----------------------------------------------------


@allowed(may_follow)
def overview(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    municipality = _municipality()
    board = dashboard.build(municipality=municipality, board=None, today=viewer.today)
    return render(
        request,
        "goals/overview.html",
        {
            "dashboard": board,
            "boards": Board.objects.filter(municipality=municipality).order_by("name"),
            "loads": KoladaLoad.objects.all()[:5],
            "own_form": OwnValuesForm(initial={"year": viewer.today.year - 1}),
        },
    )


def _board_dashboard(request: HttpRequest, board_id: int) -> Dashboard:
    viewer = viewer_for(request)
    municipality = _municipality()
    board = get_object_or_404(Board, pk=board_id, municipality=municipality)
    return dashboard.build(municipality=municipality, board=board, today=viewer.today)


@allowed(may_follow)
def board(request: HttpRequest, board_id: int) -> HttpResponse:
    return render(request, "goals/board.html", {"dashboard": _board_dashboard(request, board_id)})


def _row_cells(row: IndicatorRow) -> list[str]:
    return [
        f"{row.indicator.title} ({row.indicator.unit})",
        *(number(year.value) for year in row.years),
        row.target_text or "–",
        place_text(row),
        row.trend.label if row.trend else "–",
        row.source,
    ]


@allowed(may_follow)
def board_pdf(request: HttpRequest, board_id: int) -> HttpResponse:
    board = _board_dashboard(request, board_id)
    document = Document(
        title=board.title,
        municipality=board.municipality.name,
        made_on=board.made_on,
        landscape=True,
    )
    document.start_page()
    headers = [
        _("Indikator"),
        *(str(year) for year in board.years),
        _("Mål"),
        _("Placering"),
        _("Trend"),
        _("Källa"),
    ]
    widths = [70, *([17] * len(board.years)), 28, 42, 20, 22 + (5 - len(board.years)) * 17]
    right = list(range(1, len(board.years) + 1))
    for council in board.council:
        document.paragraph(_("Fullmäktiges mål: %(title)s") % {"title": council.title}, size=9)
    for block, _row in _blocks_in_order(board):
        goal = block.goal
        document.heading(f"{goal.get_level_display()}: {goal.title}")
        document.facts(
            [
                (_("Antaget av"), goal.adopted_by),
                (_("den"), goal.adopted_on.isoformat()),
                (_("Gäller"), f"{goal.first_year}–{goal.last_year}"),
            ]
        )
        if block.rows:
            document.data_table(
                headers, [_row_cells(row) for row in block.rows], widths=widths, right=right
            )
        for follow_up in block.follow_ups:
            document.paragraph(
                f"{_('Uppföljning')} {follow_up.period}: {follow_up.get_assessment_display()}. "
                f"{follow_up.comment}",
                size=9,
            )
    if board.costs:
        document.heading(_("Kostnadseffektivitet"))
        document.data_table(
            headers,
            [
                _row_cells(row)
                for cost in board.costs
                for row in ([cost.own] + ([cost.national] if cost.national else []))
            ],
            widths=widths,
            right=right,
        )
    document.heading(_("Definitioner och källor"))
    seen: set[int] = set()
    for _block, row in [*board.all_rows(), *_cost_rows(board)]:
        if row.indicator.pk in seen:
            continue
        seen.add(row.indicator.pk)
        as_of = row.as_of.isoformat() if row.as_of else "–"
        document.paragraph(
            f"{row.indicator.code} {row.indicator.title}: {row.indicator.definition} "
            f"{row.indicator.get_direction_display()}. {row.source}, {as_of}.",
            size=8,
        )
    response = HttpResponse(document.render(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mal-{board_id}.pdf"'
    return response


def _blocks_in_order(board: Dashboard) -> list[tuple[Any, None]]:
    found: list[tuple[Any, None]] = []

    def walk(block: Any) -> None:
        found.append((block, None))
        for child in block.children:
            walk(child)

    for block in board.blocks:
        walk(block)
    return found


def _cost_rows(board: Dashboard) -> list[tuple[None, IndicatorRow]]:
    return [
        (None, row)
        for cost in board.costs
        for row in [cost.own, *([cost.national] if cost.national else [])]
    ]


def _number_cell(value: Decimal | None) -> Any:
    return float(value) if value is not None else None


@allowed(may_follow)
def board_xlsx(request: HttpRequest, board_id: int) -> HttpResponse:
    board = _board_dashboard(request, board_id)
    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet(_("Mål"))
    safe_append(
        sheet,
        [
            _("Mål"),
            _("Nivå"),
            _("Kod"),
            _("Indikator"),
            _("Enhet"),
            *(str(y) for y in board.years),
            _("Mål"),
            _("Placering"),
            _("Antal kommuner"),
            _("Bland de bästa (%)"),
            _("Färg"),
            _("Trend"),
            _("Källa"),
            _("Datum"),
        ],
    )
    rows = [
        (block.goal.title, block.goal.get_level_display(), row) for block, row in board.all_rows()
    ]
    rows += [(_("Kostnadseffektivitet"), "", row) for _none, row in _cost_rows(board)]
    for goal_title, level, row in rows:
        latest = row.latest
        place = latest.place if latest else None
        sheet.append(
            [
                safe_cell(goal_title),
                safe_cell(level),
                safe_cell(row.indicator.code),
                safe_cell(row.indicator.title),
                safe_cell(row.indicator.unit),
                *(_number_cell(y.value) for y in row.years),
                safe_cell(row.target_text),
                place.rank if place else None,
                place.count if place else None,
                float(place.best_percent) if place else None,
                safe_cell(place.colour.label) if place else None,
                safe_cell(row.trend.label) if row.trend else None,
                safe_cell(row.source),
                row.as_of.isoformat() if row.as_of else None,
            ]
        )
    definitions = book.create_sheet(_("Definitioner"))
    safe_append(
        definitions, [_("Kod"), _("Indikator"), _("Definition"), _("Bättre är"), _("Källa")]
    )
    seen: set[int] = set()
    for _goal, _level, row in rows:
        if row.indicator.pk not in seen:
            seen.add(row.indicator.pk)
            safe_append(
                definitions,
                [
                    row.indicator.code,
                    row.indicator.title,
                    row.indicator.definition,
                    row.indicator.get_direction_display(),
                    row.source,
                ],
            )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mal-{board_id}.xlsx"'
    return response


# --- Where we stand: one indicator -------------------------------------------------------------


@allowed(may_follow)
def indicator(request: HttpRequest, indicator_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    municipality = _municipality()
    item = get_object_or_404(Indicator, pk=indicator_id)
    last = dashboard.latest_year([item], viewer.today)
    years = list(range(last - dashboard.YEARS_SHOWN + 1, last + 1))
    per_year, source, as_of = dashboard.figures([item], municipality.code, years)[item.pk]
    row = IndicatorRow(item, None, per_year, source, as_of)
    names = {**MUNICIPALITIES, municipality.code: municipality.name, RIKET: _("Riket")}
    context: dict[str, Any] = {
        "indicator": item,
        "row": row,
        "chart": row.chart(municipality.name),
        "municipality": municipality,
        "years": years,
    }
    if item.source == SourceKind.KOLADA:
        year = _chosen_year(request, years)
        standings = Standing.objects.filter(indicator=item, year=year).order_by(
            "rank", "municipality"
        )
        page = Paginator(standings, PAGE_SIZE).get_page(request.GET.get("sida"))
        context.update(
            year=year,
            page=page,
            distribution=[
                (s, names.get(s.municipality, s.municipality), ranking.Place(s.rank, s.count))
                for s in page
            ],
            groups=ComparisonGroup.objects.all(),
            comparison=_comparison(request, item, year, municipality.code, names),
        )
    elif item.source == SourceKind.SURVEY:
        context.update(survey_rows=survey.breakdown(item, years), min_answers=survey.min_answers())
    else:
        units = dict(Unit.objects.values_list("pk", "name"))
        by_unit: dict[int, dict[int, Decimal | None]] = {}
        for unit_id, year, value in OwnValue.objects.filter(
            indicator=item, year__in=years, unit__isnull=False
        ).values_list("unit_id", "year", "value"):
            by_unit.setdefault(unit_id, {})[year] = value
        context["units"] = sorted(
            (
                (units.get(unit_id, "?"), [values.get(y) for y in years])
                for unit_id, values in by_unit.items()
            ),
        )
    return render(request, "goals/indicator.html", context)


def _chosen_year(request: HttpRequest, years: list[int]) -> int:
    try:
        year = int(request.GET.get("ar", years[-1]))
    except ValueError:
        return years[-1]
    return year if year in years else years[-1]


def _comparison(
    request: HttpRequest, item: Indicator, year: int, code: str, names: dict[str, str]
) -> dict[str, Any] | None:
    try:
        group_id = int(request.GET.get("grupp", ""))
    except ValueError:
        return None
    group = ComparisonGroup.objects.filter(pk=group_id).first()
    if group is None:
        return None
    codes = set(group.members) | {code}
    values = dict(
        NationalValue.objects.filter(indicator=item, year=year, municipality__in=codes).values_list(
            "municipality", "value"
        )
    )
    places = ranking.rank(values, higher_is_better=item.higher_is_better)
    rows = sorted(
        ((names.get(c, c), values[c], places[c], c == code) for c in values),
        key=lambda r: (r[2].rank, r[0]),
    )
    mean = sum(values.values()) / len(values) if values else None
    return {"group": group, "rows": rows, "mean": mean, "missing": sorted(codes - set(values))}


# --- Changes -----------------------------------------------------------------------------------


@allowed(may_follow)
def goal_new(request: HttpRequest) -> HttpResponse:
    form = GoalForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal = actions.create_goal(**data, by=staff_user(request))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(_goal_place(goal))
    return render(
        request, "goals/goal_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _goal_place(goal: Goal) -> str:
    if goal.board_id:
        return reverse("goals:board", args=[goal.board_id]) + f"#mal-{goal.pk}"
    return reverse("goals:overview") + f"#mal-{goal.pk}"


@allowed(may_follow)
def target_new(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=goal_id)
    form = TargetForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_target(
                goal,
                data["indicator"],
                kind=data["kind"],
                level=data["level"],
                best_percent=data["best_percent"],
                by=staff_user(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(_goal_place(goal))
    return render(
        request,
        "goals/target_form.html",
        {"form": form, "goal": goal},
        status=400 if form.errors else 200,
    )


@allowed(may_follow)
def follow_up(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=goal_id)
    form = FollowUpForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_follow_up(goal, **form.cleaned_data, by=staff_user(request))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(_goal_place(goal))
    return render(
        request,
        "goals/follow_up_form.html",
        {"form": form, "goal": goal, "follow_ups": goal.follow_ups.order_by("-period")},
        status=400 if form.errors else 200,
    )


@allowed(may_follow)
def groups(request: HttpRequest) -> HttpResponse:
    form = GroupForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_comparison_group(
                name=form.cleaned_data["name"],
                members=form.cleaned_data["members"],
                by=staff_user(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("goals:groups")
    names = {**MUNICIPALITIES, _municipality().code: _municipality().name}
    page = Paginator(ComparisonGroup.objects.order_by("name"), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    listed = [(g, [names.get(c, c) for c in g.members]) for g in page]
    return render(
        request,
        "goals/groups.html",
        {"form": form, "page": page, "listed": listed},
        status=400 if form.errors else 200,
    )


@allowed(may_follow)
def national_load(request: HttpRequest) -> HttpResponse:
    form = NationalFileForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            answer = parse_json(data["file"].read())
            if data["kind"] == "grupper":
                actions.load_comparison_groups(answer, by=staff_user(request))
            else:
                actions.load_national_values(
                    answer,
                    file_name=data["file"].name,
                    source_note=data["source_note"],
                    by=staff_user(request),
                )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            return redirect("goals:overview")
    return render(
        request,
        "goals/national_load.html",
        {"form": form, "loads": KoladaLoad.objects.all()[:PAGE_SIZE]},
        status=400 if form.errors else 200,
    )


@allowed(may_follow)
def own_values(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        raise PermissionDenied
    form = OwnValuesForm(request.POST)
    if form.is_valid():
        try:
            actions.record_own_values(form.cleaned_data["year"], by=staff_user(request))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("goals:overview")
    return render(request, "goals/own_values.html", {"form": form}, status=400)
