"""The sections of the yearly quality report (kvalitetsberättelse), and the registry through
which another app contributes one.

A section is built from data into plain JSON (facts, tables, charts: no personal data) and
frozen in the report's snapshot. A section whose app has not contributed a builder yet, or
whose builder finds nothing, is shown as *Uppgift saknas*, never dropped. Another app (e.g.
`tillit.incidents` for deviations, complaints and Lex Sarah) registers its builder in its
`AppConfig.ready()`:

    from tillit.quality.sections import Section, register_section
    register_section(Section(code="deviations", title=_("Avvikelser"), order=50,
                             build=build_deviations))

`build(scope)` gets a `ReportScope` (year, unit ids, first and last day, today) and returns a
`SectionData` dict or None.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from tillit.quality.models import QualityReport

# {"facts": [[label, value]], "tables": [{"title", "headers", "rows"}],
#  "charts": [{"title", "points": [[label, share|None]], "target"}]}
SectionData = dict[str, Any]


@dataclass(frozen=True)
class ReportScope:
    year: int
    unit_ids: list[int]
    first: dt.date
    last: dt.date
    today: dt.date


@dataclass(frozen=True)
class Section:
    code: str
    title: str | Promise
    order: int
    build: Callable[[ReportScope], SectionData | None] | None = None


_REGISTRY: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Add a section, or give a placeholder its builder (same code)."""
    _REGISTRY[section.code] = section


def registered() -> list[Section]:
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.code))


def scope_of(report: QualityReport, today: dt.date) -> ReportScope:
    from tillit.organisation.models import Unit

    if report.unit_id is not None:
        unit_ids = [report.unit_id]
    else:
        unit_ids = list(
            Unit.objects.filter(process__boards=report.board_id)
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return ReportScope(
        year=report.year,
        unit_ids=unit_ids,
        first=dt.date(report.year, 1, 1),
        last=dt.date(report.year, 12, 31),
        today=today,
    )


def snapshot(report: QualityReport, today: dt.date) -> dict[str, Any]:
    """Every registered section built now: the frozen numbers of the report."""
    scope = scope_of(report, today)
    built = []
    for section in registered():
        data = section.build(scope) if section.build is not None else None
        built.append({"code": section.code, "title": str(section.title), "data": data})
    return {"taken_on": today.isoformat(), "sections": built}


# --- This app's sections --------------------------------------------------------------------


def compliance_section(
    first: dt.date, last: dt.date, unit_ids: list[int], today: dt.date
) -> SectionData | None:
    """The compliance figures per quarter (or the one period), shared with the board report."""
    from tillit.children import figures

    scope = figures.Scope(
        whole=False,
        unit_ids=frozenset(unit_ids),
        group_ids=frozenset(),
        head_unit_ids=frozenset(),
        reason_unit_ids=frozenset(),
    )
    periods = _quarters_within(first, last) or [
        figures.Period(first, last, f"{first.isoformat()}–{last.isoformat()}")
    ]
    rows = []
    for period in periods:
        found = figures.compute(scope, period, figures.UNIT, today).total
        if not (found.protective.counted or found.initial.counted or found.investigation.counted):
            continue
        rows.append(
            [
                period.label if period.code[4:6] == "-K" else period.code,
                found.protective.counted,
                _pct(found.protective.share_percent),
                found.initial.counted,
                _pct(found.initial.share_percent),
                found.investigation.counted,
                _pct(found.investigation.share_percent),
                found.open_overdue_investigations,
            ]
        )
    if not rows:
        return None
    return {
        "tables": [
            {
                "title": _("Lagstadgade tidsgränser (nyckeltal)"),
                "headers": [
                    _("Period"),
                    _("Skyddsbed. n"),
                    _("Skyddsbed. i tid %"),
                    _("Förhandsbed. n"),
                    _("Förhandsbed. i tid %"),
                    _("Utredning n"),
                    _("Utredning i tid %"),
                    _("Öppna utredningar över tid"),
                ],
                "rows": rows,
            }
        ],
        "facts": [
            [
                _("Definitioner"),
                _(
                    "Som på sidan Nyckeltal: i tid = klar senast den lagstadgade dagen; "
                    "pågående räknas inte."
                ),
            ]
        ],
    }


def _quarters_within(first: dt.date, last: dt.date) -> list[Any]:
    from tillit.children.figures import Period

    found = []
    for year in range(first.year, last.year + 1):
        for quarter in range(1, 5):
            period = Period.quarter(year, quarter)
            if period.first >= first and period.last <= last:
                found.append(period)
    return found


def _pct(value: Any) -> str:
    return "" if value is None else str(value).replace(".", ",")


def self_audit_section(first: dt.date, last: dt.date, unit_ids: list[int]) -> SectionData | None:
    """Each plan's runs finished in the period (and its chart over all runs up to the end)."""
    from tillit.quality.models import AuditPlan, AuditRun, RunStatus

    finished = [RunStatus.DONE, RunStatus.REVIEWED]
    runs = (
        AuditRun.objects.filter(
            plan__unit_id__in=unit_ids,
            status__in=finished,
            period_last__gte=first,
            period_last__lte=last,
        )
        .select_related("plan__unit")
        .order_by("plan__unit__name", "plan__title", "period_first")
    )
    rows = [
        [
            run.plan.unit.name,
            run.plan.title,
            f"{run.period_first.isoformat()} – {run.period_last.isoformat()}",
            run.counted or 0,
            _pct(run.share_percent),
            _pct(run.plan.target_percent),
            _("Ja") if run.met_target else (_("Nej") if run.met_target is False else _("–")),
        ]
        for run in runs
    ]
    plans = AuditPlan.objects.filter(unit_id__in=unit_ids).exclude(status="utkast")
    releases = [
        [plan.unit.name, plan.title, str(plan.released_on), plan.release_reason]
        for plan in plans.select_related("unit").filter(
            released_on__gte=first, released_on__lte=last
        )
    ]
    charts = []
    for plan in plans.select_related("unit").order_by("unit__name", "title"):
        points = [
            [
                f"{r.period_first:%Y-%m}",
                str(r.share_percent) if r.share_percent is not None else None,
            ]
            for r in plan.runs.filter(status__in=finished, period_last__lte=last).order_by(
                "period_first"
            )
        ]
        if points:
            charts.append(
                {
                    "title": f"{plan.unit.name}: {plan.title}",
                    "points": points,
                    "target": str(plan.target_percent),
                }
            )
    if not rows and not releases:
        return None
    tables = [
        {
            "title": _("Egenkontroller under perioden"),
            "headers": [
                _("Enhet"),
                _("Kontroll"),
                _("Period"),
                _("n"),
                _("Resultat %"),
                _("Mål %"),
                _("Målet nått"),
            ],
            "rows": rows,
        }
    ]
    if releases:
        tables.append(
            {
                "title": _("Kontroller som släppts (målet nått och hållet)"),
                "headers": [_("Enhet"), _("Kontroll"), _("Släppt"), _("Skäl")],
                "rows": releases,
            }
        )
    return {"tables": tables, "charts": charts}


def action_plan_section(
    first: dt.date, last: dt.date, unit_ids: list[int], today: dt.date
) -> SectionData | None:
    """Deficiencies by source and severity, measures by outcome: counts only."""
    from tillit.quality.models import Deficiency, Measure, MeasureStatus, Severity, SourceType

    deficiencies = Deficiency.objects.filter(
        unit_id__in=unit_ids, recorded_on__gte=first, recorded_on__lte=last
    )
    by_source = Counter(dict(deficiencies.values_list("source_type").annotate(n=Count("pk"))))
    by_severity = Counter(dict(deficiencies.values_list("severity").annotate(n=Count("pk"))))
    measures = Measure.objects.filter(deficiency__unit_id__in=unit_ids, created_on__lte=last)
    statuses = Counter(dict(measures.values_list("status").annotate(n=Count("pk"))))
    verified = measures.filter(verified_on__gte=first, verified_on__lte=last).count()
    overdue = measures.filter(
        status__in=[MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS],
        due_on__lt=min(last, today),
    ).count()
    if not deficiencies.exists() and not measures.exists():
        return None
    return {
        "facts": [
            [_("Brister registrerade"), sum(by_source.values())],
            [_("Åtgärder verifierade under perioden"), verified],
            [_("Försenade åtgärder"), overdue],
        ],
        "tables": [
            {
                "title": _("Brister per källa"),
                "headers": [_("Källa"), _("Antal")],
                "rows": [
                    [str(label), by_source.get(code, 0)] for code, label in SourceType.choices
                ],
            },
            {
                "title": _("Brister per allvarlighetsgrad"),
                "headers": [_("Allvarlighetsgrad"), _("Antal")],
                "rows": [
                    [str(label), by_severity.get(code, 0)] for code, label in Severity.choices
                ],
            },
            {
                "title": _("Åtgärder per status"),
                "headers": [_("Status"), _("Antal")],
                "rows": [
                    [str(label), statuses.get(code, 0)] for code, label in MeasureStatus.choices
                ],
            },
        ],
    }


def routines_section(first: dt.date, last: dt.date, unit_ids: list[int]) -> SectionData | None:
    from tillit.quality.models import RoutineStatus, RoutineVersion

    versions = RoutineVersion.objects.filter(routine__process__units__in=unit_ids).distinct()
    adopted = versions.filter(adopted_on__gte=first, adopted_on__lte=last).select_related("routine")
    overdue = versions.filter(status=RoutineStatus.ADOPTED, review_on__lt=last).select_related(
        "routine"
    )
    rows = [
        [v.routine.title, v.number, v.valid_from.isoformat() if v.valid_from else ""]
        for v in adopted.order_by("routine__title", "number")
    ]
    if not rows and not overdue.exists():
        return None
    return {
        "facts": [[_("Rutiner vars översyn är försenad"), overdue.count()]],
        "tables": [
            {
                "title": _("Rutiner fastställda under året"),
                "headers": [_("Rutin"), _("Version"), _("Gäller från")],
                "rows": rows,
            }
        ],
    }


def register_defaults() -> None:
    register_section(
        Section(
            "compliance",
            gettext_lazy("Lagstadgade tidsgränser"),
            10,
            lambda s: compliance_section(s.first, s.last, s.unit_ids, s.today),
        )
    )
    register_section(
        Section(
            "self_audits",
            gettext_lazy("Egenkontroller"),
            20,
            lambda s: self_audit_section(s.first, s.last, s.unit_ids),
        )
    )
    register_section(
        Section(
            "action_plan",
            gettext_lazy("Åtgärdsplanen"),
            30,
            lambda s: action_plan_section(s.first, s.last, s.unit_ids, s.today),
        )
    )
    register_section(
        Section(
            "routines",
            gettext_lazy("Processer och rutiner"),
            40,
            lambda s: routines_section(s.first, s.last, s.unit_ids),
        )
    )
    # Contributed by tillit.incidents (issue 13, part B) once merged: shown as missing until then.
    for code, title, order in [
        ("deviations", gettext_lazy("Avvikelser"), 50),
        ("complaints", gettext_lazy("Klagomål och synpunkter"), 60),
        ("lex_sarah", gettext_lazy("Lex Sarah och anmälningar till IVO"), 70),
        ("provider_follow_up", gettext_lazy("Uppföljning av anordnare"), 80),
    ]:
        if code not in _REGISTRY:
            register_section(Section(code, title, order, None))
