"""The board report (rapport till nämnden): built from data when made, stored as made.

Sections in a fixed order; one without data is kept with `data: None` and printed as
*Uppgift saknas*, never dropped. No personal data: deficiencies and measures are the staff's
own texts and names, self-audits and figures are counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from tillit.organisation.models import Unit
from tillit.quality.models import (
    OPEN_MEASURE,
    BoardReport,
    Deficiency,
    Measure,
    MeasureStatus,
    display_name,
)
from tillit.quality.sections import compliance_section, self_audit_section


def board_unit_ids(board_id: int) -> list[int]:
    return list(
        Unit.objects.filter(process__boards=board_id)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _measure_line(m: Measure) -> list[Any]:
    return [
        m.deficiency.unit.name,
        m.deficiency.title,
        m.description,
        display_name(m.owner),
        m.due_on.isoformat(),
        str(MeasureStatus(m.status).label),
    ]


def measure_headers() -> list[str]:
    return [_("Enhet"), _("Brist"), _("Åtgärd"), _("Ansvarig"), _("Klar senast"), _("Status")]


def build(report: BoardReport, today: dt.date) -> dict[str, Any]:
    unit_ids = board_unit_ids(report.board_id)
    measures = list(
        Measure.objects.filter(deficiency__unit_id__in=unit_ids)
        .select_related("deficiency__unit", "owner")
        .order_by("deficiency__unit__name", "due_on", "pk")
    )
    statuses = {str(m.pk): m.status for m in measures}
    sections: list[dict[str, Any]] = []

    # 1. The plan's state: each open deficiency with its measures' progress.
    deficiencies = (
        Deficiency.objects.filter(unit_id__in=unit_ids, closed_on__isnull=True)
        .select_related("unit")
        .order_by("unit__name", "-recorded_on")
    )
    plan_rows = []
    for d in deficiencies:
        own = [m for m in measures if m.deficiency_id == d.pk]
        plan_rows.append(
            [
                d.unit.name,
                d.title,
                d.get_severity_display(),
                d.get_source_type_display(),
                len(own),
                sum(1 for m in own if m.status in OPEN_MEASURE),
                sum(1 for m in own if m.status == MeasureStatus.DONE),
                sum(1 for m in own if m.status in (MeasureStatus.VERIFIED, MeasureStatus.CLOSED)),
            ]
        )
    sections.append(
        {
            "code": "plan",
            "title": _("Åtgärdsplanens läge"),
            "data": {
                "tables": [
                    {
                        "title": _("Öppna brister"),
                        "headers": [
                            _("Enhet"),
                            _("Brist"),
                            _("Allvarlighetsgrad"),
                            _("Källa"),
                            _("Åtgärder"),
                            _("Öppna"),
                            _("Genomförda"),
                            _("Verifierade"),
                        ],
                        "rows": plan_rows,
                    }
                ]
            }
            if plan_rows
            else None,
        }
    )

    # 2. What changed since the last report: measures new or with another status.
    changes = None
    if report.previous is not None:
        before = report.previous.content.get("measure_status", {})
        changed = [
            [
                *_measure_line(m)[:3],
                str(MeasureStatus(before[str(m.pk)]).label) if str(m.pk) in before else _("Ny"),
                str(MeasureStatus(m.status).label),
            ]
            for m in measures
            if before.get(str(m.pk)) != m.status
        ]
        if changed:
            changes = {
                "facts": [
                    [_("Förra rapporten"), report.previous.meeting_on.isoformat()],
                ],
                "tables": [
                    {
                        "title": _("Åtgärder som ändrats"),
                        "headers": [
                            _("Enhet"),
                            _("Brist"),
                            _("Åtgärd"),
                            _("Förut"),
                            _("Nu"),
                        ],
                        "rows": changed,
                    }
                ],
            }
    sections.append(
        {
            "code": "changes",
            "title": _("Förändringar sedan förra rapporten"),
            "data": changes,
            "note": "" if report.previous else _("Första rapporten: inget att jämföra med."),
        }
    )

    # 3. Overdue measures.
    overdue = [_measure_line(m) for m in measures if m.status in OPEN_MEASURE and m.due_on < today]
    sections.append(
        {
            "code": "overdue",
            "title": _("Försenade åtgärder"),
            "data": {
                "tables": [
                    {
                        "title": _("Försenade åtgärder"),
                        "headers": measure_headers(),
                        "rows": overdue,
                    }
                ]
            }
            if overdue
            else None,
            "note": "" if overdue else _("Inga åtgärder är försenade."),
        }
    )

    # 4. Self-audit results, 5. the compliance figures behind them.
    sections.append(
        {
            "code": "self_audits",
            "title": _("Egenkontroller"),
            "data": self_audit_section(report.period_first, report.period_last, unit_ids),
        }
    )
    sections.append(
        {
            "code": "compliance",
            "title": _("Nyckeltal: lagstadgade tidsgränser"),
            "data": compliance_section(report.period_first, report.period_last, unit_ids, today),
        }
    )
    return {"sections": sections, "measure_status": statuses, "made_on": today.isoformat()}
