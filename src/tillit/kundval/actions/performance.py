"""Performance reports from providers: checked row by row, saved all or nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, record_change, user_of
from tillit.kundval.authorised import AuthorisedDays
from tillit.kundval.models import (
    Choice,
    PaymentRun,
    PerformanceReport,
    ReportSource,
    RunStatus,
    Voucher,
)
from tillit.kundval.models.performance import MINUTES_PER_DAY
from tillit.kundval.periods import Span, month_start
from tillit.kundval.rules import minutes_match_problem, whole_problem
from tillit.organisation.models import Provider

# A row is one customer's day; visits are stored in a small integer column.
MAX_VISITS_PER_DAY = 100


@dataclass(frozen=True)
class ReportRow:
    voucher_id: int
    date: dt.date
    # Whole numbers; a Decimal from the API is checked by the rules, never cut off.
    minutes: int | Decimal = 0
    visits: int | Decimal = 0
    attended: bool = False
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    corrects_id: int | None = None
    note: str = ""


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based, as the provider counts them (header not counted)
    messages: list[str]


class RejectedRowsError(ValidationError):
    """Some rows were bad; nothing was saved."""

    def __init__(self, rows: list[RowError]) -> None:
        self.rows = rows
        super().__init__(
            [
                _("Rad %(row)d: %(problem)s") % {"row": e.row, "problem": " ".join(e.messages)}
                for e in rows
            ]
        )


@dataclass
class _Entry:
    pk: int | None
    minutes: int
    starts_at: dt.time | None
    ends_at: dt.time | None


@dataclass
class _Day:
    entries: list[_Entry] = field(default_factory=list)


def check_rows(provider: Provider, rows: Sequence[ReportRow], today: dt.date) -> list[RowError]:
    """Every problem in every row, without saving anything (the dry run)."""
    if not rows:
        return [RowError(0, [_("Filen innehåller inga rader.")])]
    voucher_ids = {r.voucher_id for r in rows}
    first = min(r.date for r in rows)
    last = max(r.date for r in rows)
    vouchers = {v.pk: v for v in Voucher.objects.filter(pk__in=voucher_ids).select_related("area")}
    held: dict[int, list[Span]] = defaultdict(list)
    for c in Choice.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first),
        provider=provider,
        voucher_id__in=voucher_ids,
        valid_from__lte=last,
    ):
        held[c.voucher_id].append(Span(c.valid_from, c.valid_to))
    # Vouchers the provider has held at some time: only to them may it be told that a date
    # lies outside the voucher or its authorisation (to anyone else every voucher looks the
    # same). A stop hands its customers to the default provider from the stop date.
    ever_held = set(
        Choice.objects.filter(provider=provider, voucher_id__in=voucher_ids).values_list(
            "voucher_id", flat=True
        )
    )
    authorised_days = AuthorisedDays.load(
        first, last, area_ids={v.area_id for v in vouchers.values()}, provider_ids=[provider.pk]
    )
    closed = set(
        PaymentRun.objects.filter(
            status=RunStatus.CLOSED, month__gte=month_start(first), month__lte=last
        ).values_list("municipality_id", "month")
    )
    days: dict[tuple[int, dt.date], _Day] = defaultdict(_Day)
    for existing in PerformanceReport.objects.in_effect().filter(
        provider=provider, voucher_id__in=voucher_ids, date__gte=first, date__lte=last
    ):
        days[existing.voucher_id, existing.date].entries.append(
            _Entry(existing.pk, existing.minutes, existing.starts_at, existing.ends_at)
        )
    targets = {
        t.pk: t
        for t in PerformanceReport.objects.filter(
            pk__in={r.corrects_id for r in rows if r.corrects_id}
        ).select_related("corrected_by")
    }
    corrected_in_batch: set[int] = set()
    errors: list[RowError] = []
    for number, row in enumerate(rows, start=1):
        problems: list[str] = []
        voucher = vouchers.get(row.voucher_id)
        owns = voucher is not None and any(s.covers(row.date) for s in held[row.voucher_id])
        if voucher is None or voucher.pk not in ever_held:
            # The same answer whether the voucher exists or not: nothing leaks about others.
            problems.append(_("Kunden har ingen check hos er den dagen."))
        elif not Span(voucher.valid_from, voucher.valid_to).covers(row.date):
            problems.append(
                _("Datumet ligger utanför beslutets giltighetstid (%(start)s–%(end)s).")
                % {
                    "start": voucher.valid_from.isoformat(),
                    "end": voucher.valid_to.isoformat() if voucher.valid_to else "",
                }
            )
        elif not authorised_days.covers(provider.pk, voucher.area_id, row.date):
            problems.append(
                authorised_days.why_not(provider.pk, voucher.area_id, voucher.area.name, row.date)
            )
        elif not owns:
            problems.append(_("Kunden har ingen check hos er den dagen."))
        if row.date > today:
            problems.append(_("Datumet ligger i framtiden."))
        count_problems = [
            p
            for p in (
                whole_problem(row.minutes, _("Minuter")),
                whole_problem(row.visits, _("Besök")),
            )
            if p
        ]
        problems += count_problems
        if not count_problems and row.minutes > MINUTES_PER_DAY:
            problems.append(_("Mer än 24 timmar på en dag."))
        if row.visits > MAX_VISITS_PER_DAY:
            problems.append(_("Högst %(n)s besök på en dag.") % {"n": MAX_VISITS_PER_DAY})
        if (row.starts_at is None) != (row.ends_at is None):
            problems.append(_("Ange både start- och sluttid, eller ingen av dem."))
        elif row.starts_at and row.ends_at and row.ends_at <= row.starts_at:
            problems.append(_("Sluttiden måste vara efter starttiden."))
        elif not count_problems and (
            mismatch := minutes_match_problem(row.minutes, row.starts_at, row.ends_at)
        ):
            problems.append(mismatch)
        target = targets.get(row.corrects_id) if row.corrects_id else None
        if row.corrects_id is not None:
            if (
                target is None
                or target.provider_id != provider.pk
                or target.voucher_id != row.voucher_id
                or target.date != row.date
            ):
                problems.append(_("Raden som ska rättas finns inte för den kunden och dagen."))
            elif hasattr(target, "corrected_by") or target.pk in corrected_in_batch:
                problems.append(_("Raden är redan rättad; rätta den senaste raden."))
        elif not (row.minutes or row.visits or row.attended):
            problems.append(_("Raden saknar utförd tid, besök och närvaro."))
        if (
            voucher is not None
            and row.corrects_id is None
            and (voucher.area.municipality_id, month_start(row.date)) in closed
        ):
            problems.append(
                _("Månaden är stängd för utbetalning; skicka en rättelse av en befintlig rad.")
            )
        day = days[row.voucher_id, row.date]
        others = [e for e in day.entries if e.pk is None or e.pk != row.corrects_id]
        if not count_problems and sum(e.minutes for e in others) + row.minutes > MINUTES_PER_DAY:
            problems.append(_("Kundens tid hos er blir mer än 24 timmar den dagen."))
        if row.starts_at and row.ends_at:
            for other in others:
                if (
                    other.starts_at
                    and other.ends_at
                    and row.starts_at < other.ends_at
                    and other.starts_at < row.ends_at
                ):
                    problems.append(
                        _("Besöket överlappar ett annat besök %(start)s–%(end)s.")
                        % {
                            "start": other.starts_at.strftime("%H:%M"),
                            "end": other.ends_at.strftime("%H:%M"),
                        }
                    )
                    break
        if problems:
            errors.append(RowError(number, problems))
            continue
        if row.corrects_id is not None:
            corrected_in_batch.add(row.corrects_id)
            day.entries = others
        day.entries.append(_Entry(None, int(row.minutes), row.starts_at, row.ends_at))
    return errors


@transaction.atomic
def report(
    provider: Provider,
    rows: Sequence[ReportRow],
    *,
    by: Actor,
    source: ReportSource,
    today: dt.date,
) -> list[PerformanceReport]:
    """Save all rows, or none: raises RejectedRowsError listing every bad row.

    One change-log row for the batch, on the provider, naming the rows saved: a report's rows
    are never changed afterwards (a correction is a new row), so the batch is the change."""
    # One provider reports at a time; a payment run locks the same row before it reads.
    Provider.objects.select_for_update().get(pk=provider.pk)
    errors = check_rows(provider, rows, today)
    if errors:
        raise RejectedRowsError(errors)
    saved = []
    for row in rows:
        # One by one: a correction may name a row saved earlier in the same batch.
        saved.append(
            PerformanceReport.objects.create(
                provider=provider,
                voucher_id=row.voucher_id,
                date=row.date,
                # check_rows refused anything but whole numbers: nothing is cut off here.
                minutes=int(row.minutes),
                visits=int(row.visits),
                attended=row.attended,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                corrects_id=row.corrects_id,
                source=source,
                reported_by=user_of(by),
                note=row.note,
            )
        )
    record_change(
        by,
        "kundval.performance.reported",
        provider,
        {"reports": (None, [r.pk for r in saved]), "source": (None, source)},
    )
    return saved
