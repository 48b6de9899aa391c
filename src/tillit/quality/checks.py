"""What a self-audit checks: the computed checks, the manual population and the sample.

The computed checks read the same stored rows as the compliance figures and use their
definitions (`tillit.children.figures.on_time_q`, `missed_q`, `ongoing_q`): an item still open
and not yet past its legal due date is *pågående* and outside the share, exactly as on the
figures page. A failing record is kept by id with the dates that failed it, never a name.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.children.figures import missed_q, on_time_q, ongoing_q
from tillit.children.models import (
    Deadline,
    DeadlineKind,
    InitialAssessment,
    Investigation,
    ReportedChild,
    RiskAssessment,
)
from tillit.quality.models import Check

TRACK = "track"
INVESTIGATION = "investigation"


@dataclass
class Result:
    population: int = 0
    counted: int = 0
    passed: int = 0
    failing: list[dict[str, Any]] = field(default_factory=list)

    @property
    def share_percent(self) -> Decimal | None:
        return share(self.passed, self.counted)


def share(passed: int, counted: int) -> Decimal | None:
    """Passed as a percentage of the counted, one decimal, half up; None when none counted."""
    if not counted:
        return None
    exact = Decimal(passed * 100) / Decimal(counted)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def local_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start of FIRST, start of the day after LAST) in Stockholm time, as aware datetimes."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _failing(rows: Any, kind: str) -> list[dict[str, Any]]:
    found = []
    for row in rows:
        found.append(
            {
                "type": TRACK if row["track_id"] else INVESTIGATION,
                "id": row["track_id"] or row["investigation_id"],
                "individual": row["individual_id"],
                "kind": kind,
                "started": row["started_on"].isoformat(),
                "due": row["effective_due"].isoformat(),
                "completed": row["completed_on"].isoformat() if row["completed_on"] else None,
            }
        )
    return found


FAILING_FIELDS = (
    "track_id",
    "investigation_id",
    "individual_id",
    "started_on",
    "effective_due",
    "completed_on",
)


def _deadline_check(rows: Any, today: dt.date, kind: str) -> Result:
    """On time among the counted rows (done, or open past the legal date)."""
    counted = ~ongoing_q(today)
    totals = rows.aggregate(
        population=Count("pk"),
        counted=Count("pk", filter=counted),
        passed=Count("pk", filter=on_time_q()),
    )
    failing = rows.filter(missed_q(today)).order_by("started_on", "pk").values(*FAILING_FIELDS)
    return Result(
        population=totals["population"],
        counted=totals["counted"],
        passed=totals["passed"],
        failing=_failing(failing, kind),
    )


def compute(check: str, unit_id: int, first: dt.date, last: dt.date, today: dt.date) -> Result:
    """One computed check over one unit and period (inclusive dates)."""
    deadlines = Deadline.objects.filter(unit_id=unit_id)
    received = Q(started_on__gte=first, started_on__lte=last)
    if check == Check.PROTECTIVE_ON_TIME:
        rows = deadlines.filter(received, kind=DeadlineKind.PROTECTIVE)
        return _deadline_check(rows, today, DeadlineKind.PROTECTIVE)
    if check == Check.INITIAL_ON_TIME:
        rows = deadlines.filter(received, kind=DeadlineKind.INITIAL)
        return _deadline_check(rows, today, DeadlineKind.INITIAL)
    if check == Check.INVESTIGATION_ON_TIME:
        # Closed in the period (as on the figures page), and those still open at its end
        # although past the legal date: they count as late.
        at = min(last, today)
        rows = deadlines.filter(
            Q(completed_on__gte=first, completed_on__lte=last)
            | Q(completed_on__isnull=True, started_on__lte=at, effective_due__lt=at),
            kind=DeadlineKind.INVESTIGATION,
        )
        return _deadline_check(rows, at + dt.timedelta(days=1), DeadlineKind.INVESTIGATION)
    if check == Check.LATE_WITH_REASON:
        rows = deadlines.filter(
            completed_on__gte=first,
            completed_on__lte=last,
            completed_on__gt=F("effective_due"),
            extended=False,
        )
        totals = rows.aggregate(n=Count("pk"), ok=Count("pk", filter=~Q(late_reason="")))
        failing = rows.filter(late_reason="").order_by("completed_on", "pk")
        return Result(
            population=totals["n"],
            counted=totals["n"],
            passed=totals["ok"],
            failing=_failing(failing.values(*FAILING_FIELDS), "sen_utan_skal"),
        )
    if check == Check.NO_QUICK_REOPENING:
        investigations = Investigation.objects.filter(
            case__unit_id=unit_id, opened_on__gte=first, opened_on__lte=last
        )
        totals = investigations.aggregate(
            n=Count("pk"), ok=Count("pk", filter=Q(follows__isnull=True))
        )
        reopened = [
            {
                "type": INVESTIGATION,
                "id": pk,
                "individual": individual_id,
                "kind": "jo_aterinledning",
                "started": opened_on.isoformat(),
                "due": None,
                "completed": None,
            }
            for pk, individual_id, opened_on in investigations.filter(follows__isnull=False)
            .order_by("opened_on", "pk")
            .values_list("pk", "individual_id", "opened_on")
        ]
        return Result(totals["n"], totals["n"], totals["ok"], reopened)
    if check == Check.VIOLENCE_BEFORE_DECISION:
        return _violence(unit_id, first, last)
    raise ValueError(check)


def _violence(unit_id: int, first: dt.date, last: dt.date) -> Result:
    """Reports about violence decided in the period: were the risk assessment's violence
    questions answered, and the assessment made, no later than the decision day?"""
    decisions = (
        InitialAssessment.objects.filter(
            track__case__unit_id=unit_id,
            track__report__about_violence=True,
            decided_on__gte=first,
            decided_on__lte=last,
        )
        .select_related("track")
        .order_by("decided_on", "pk")
    )
    decided = {d.track_id: d for d in decisions}
    risks = {
        r.track_id: r
        for r in RiskAssessment.objects.filter(track_id__in=list(decided)).prefetch_related(
            "checklist__questions"
        )
    }
    result = Result(population=len(decided), counted=len(decided))
    for track_id, decision in decided.items():
        risk = risks.get(track_id)
        ok = (
            risk is not None
            and timezone.localdate(risk.assessed_at) <= decision.decided_on
            and not _unanswered_violence(risk)
        )
        if ok:
            result.passed += 1
            continue
        result.failing.append(
            {
                "type": TRACK,
                "id": track_id,
                "individual": decision.track.individual_id,
                "kind": "vald_fore_beslut",
                "started": timezone.localdate(decision.track.received_at).isoformat(),
                "due": decision.decided_on.isoformat(),
                "completed": timezone.localdate(risk.assessed_at).isoformat() if risk else None,
            }
        )
    return result


def _unanswered_violence(risk: RiskAssessment) -> bool:
    from tillit.children.models.assessments import Answer

    return any(
        risk.answers.get(q.code) not in Answer.values
        for q in risk.checklist.questions.all()
        if q.about_violence
    )


# --- Manual checks: population and sample -----------------------------------------------------


def manual_population(unit_id: int, first: dt.date, last: dt.date) -> list[int]:
    """Every report (one child's track) received in the unit in the period, by id."""
    start, end = local_bounds(first, last)
    return list(
        ReportedChild.objects.filter(
            case__unit_id=unit_id, received_at__gte=start, received_at__lt=end
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def draw_sample(population: list[int], size: int, seed: int) -> list[int]:
    """SIZE ids drawn from POPULATION with SEED: the same seed and population give the same
    sample, whatever order the ids came in. A sample larger than its population is refused."""
    if size < 1:
        raise ValidationError({"sample_size": _("Stickprovet måste omfatta minst en post.")})
    if size > len(population):
        raise ValidationError(
            {
                "sample_size": _(
                    "Stickprovet (%(size)s) är större än populationen (%(population)s poster)."
                )
                % {"size": size, "population": len(population)}
            }
        )
    # Reproducible sampling from a stored seed, not security.
    return sorted(random.Random(seed).sample(sorted(population), size))  # noqa: S311


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**62)
