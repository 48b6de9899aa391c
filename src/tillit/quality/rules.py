"""The quality rules as plain functions: who may do what, the release rule, the verification rule,
and the periods a plan's runs cover."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet

from tillit.access.policy import Viewer
from tillit.organisation.models import Membership, Unit
from tillit.organisation.roles import Role

# --- Who --------------------------------------------------------------------------------------


def quality_unit_ids(viewer: Viewer) -> set[int]:
    """Units whose quality work the viewer takes part in: those they head, and a quality
    developer's units (their process)."""
    return set(viewer.head_unit_ids) | set(viewer.quality_unit_ids)


def may_use_quality(viewer: Viewer) -> bool:
    """The quality pages: unit heads, quality developers, and the leadership (counts only)."""
    return bool(quality_unit_ids(viewer)) or viewer.sees_municipal_figures


def owns(viewer: Viewer, owner_id: int | None) -> bool:
    return viewer.user is not None and owner_id == viewer.user.pk


def may_open_measure(viewer: Viewer, *, unit_id: int, owner_id: int) -> bool:
    """A measure: the unit's quality work, and its owner (often a group head), who must open
    it to mark it done; the deadline on their start page links here."""
    return unit_id in quality_unit_ids(viewer) or owns(viewer, owner_id)


def may_open_routine(viewer: Viewer, *, owner_id: int) -> bool:
    """A routine: the quality pages' users, and its owner, who is reminded to review it."""
    return may_use_quality(viewer) or owns(viewer, owner_id)


def may_draft_routine(viewer: Viewer, *, owner_id: int) -> bool:
    """A new version or an edited draft: the quality work and the routine's owner (the review
    they are reminded of); adopting it stays with the quality work."""
    return bool(quality_unit_ids(viewer)) or owns(viewer, owner_id)


def holds_a_measure(viewer: Viewer) -> bool:
    from tillit.quality.models import Measure

    return viewer.user is not None and Measure.objects.filter(owner=viewer.user).exists()


def owns_a_routine(viewer: Viewer) -> bool:
    from tillit.quality.models import Routine

    return viewer.user is not None and Routine.objects.filter(owner=viewer.user).exists()


def may_make_board_reports(viewer: Viewer) -> bool:
    return bool(viewer.quality_unit_ids) or viewer.sees_municipal_figures


def own_quality_units(user_id: int, today: dt.date) -> set[int]:
    """The units a quality developer belongs to (their membership's unit)."""
    return set(
        Membership.objects.active(today)
        .filter(user_id=user_id, role=Role.QUALITY_DEVELOPER, unit__isnull=False)
        .values_list("unit_id", flat=True)
    )


def audit_holder_ids(unit_ids: set[int], today: dt.date) -> QuerySet[Membership, int]:
    """Who may hold a unit's self-audit: those who start and finish its runs, the unit's heads
    and the quality developers of its process. A holder outside them would be reminded of a run
    they cannot open."""
    processes = Unit.objects.filter(pk__in=unit_ids).values("process_id")
    return (
        Membership.objects.active(today)
        .filter(
            Q(role=Role.UNIT_HEAD, unit_id__in=unit_ids)
            | Q(role=Role.QUALITY_DEVELOPER, unit__process_id__in=processes)
        )
        .values_list("user_id", flat=True)
    )


def independence_forbids(user_id: int, unit_id: int, today: dt.date) -> bool:
    """With TILLIT_SELF_AUDIT_INDEPENDENT on, a quality developer may not audit their own unit."""
    if not settings.TILLIT_SELF_AUDIT_INDEPENDENT:
        return False
    return unit_id in own_quality_units(user_id, today)


# --- The release rule -------------------------------------------------------------------------


INTERVALS = (1, 2, 3, 4, 6, 12)


def release_runs() -> int:
    return int(settings.TILLIT_SELF_AUDIT_RELEASE_RUNS)


def target_met_in_a_row(shares: Sequence[Decimal | None], target: Decimal, n: int) -> bool:
    """True when the last N finished runs (oldest first in SHARES) all met TARGET.

    A run without counted records (share None) breaks the series: nothing was shown.
    """
    if n < 1 or len(shares) < n:
        return False
    return all(s is not None and s >= target for s in shares[-n:])


def flags_again(released: bool, share: Decimal | None, target: Decimal) -> bool:
    """A released plan whose later result is under its target is flagged again."""
    return released and share is not None and share < target


# --- The verification rule ----------------------------------------------------------------------


def verification_problems(
    *,
    owner_id: int,
    verifier_id: int,
    status: str,
    evidence: str,
    run_met_target: bool | None,
) -> dict[str, str]:
    """Why a verification is refused (field -> Swedish message); empty when it may be saved.

    `run_met_target` is None when no run is named as evidence.
    """
    from django.utils.translation import gettext as _

    from tillit.quality.models import MeasureStatus

    problems: dict[str, str] = {}
    if verifier_id == owner_id:
        problems["__all__"] = _(
            "Åtgärden ska verifieras av någon annan än den som är ansvarig för den."
        )
    elif status != MeasureStatus.DONE:
        problems["__all__"] = _("Bara en genomförd åtgärd kan verifieras.")
    if not evidence.strip() and run_met_target is None:
        problems["evidence"] = _("Ange belägg för att åtgärden genomförts och fått effekt.")
    if run_met_target is False:
        problems["evidence_run"] = _(
            "Egenkontrollomgången nådde inte målet och kan inte vara belägg."
        )
    return problems


# --- Periods ------------------------------------------------------------------------------------


def period_containing(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The period of MONTHS months (a divisor of 12, counted from January) that DAY lies in."""
    index = (day.month - 1) // months
    first = dt.date(day.year, index * months + 1, 1)
    return first, add_months(first, months) - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def next_period(last: dt.date, months: int) -> tuple[dt.date, dt.date]:
    return period_containing(last + dt.timedelta(days=1), months)


def run_due(period_last: dt.date) -> dt.date:
    """A run is due one month after its period has ended (the records have settled)."""
    following = add_months(period_last.replace(day=1), 2)
    return following - dt.timedelta(days=1)
