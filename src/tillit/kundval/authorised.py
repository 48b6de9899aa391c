"""Is a provider authorised in an area on a day? The one answer the visit checks and the
payment run share (docs/kundval.md, "When an authorisation stops").

A provider is authorised in an area on a day when one of its authorisations for the area
covers the day by its contract (`valid_from`–`valid_to`) and was not stopped by then. The
stop date (`stopped_from`) is the **first day without** authorisation: a suspension or
revocation from 04-05 leaves 04-04 paid and 04-05 unpaid. `Authorisation.in_force` and
`AuthorisationQuerySet.in_force` read the same rule for one row; `in_force_sql` gives it to
the payment run's SQL, which sums millions of rows without loading them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.kundval.models import Authorisation, StopKind
from tillit.kundval.periods import ONE_DAY, Span


def _show(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def in_force_span(authorisation: Authorisation) -> Span | None:
    """The days the authorisation is in force: its contract, ending the day before a stop."""
    end = authorisation.valid_to
    if authorisation.stopped_from is not None:
        last = authorisation.stopped_from - ONE_DAY
        end = last if end is None or last < end else end
    if end is not None and end < authorisation.valid_from:
        return None
    return Span(authorisation.valid_from, end)


@dataclass
class AuthorisedDays:
    """The days each (provider, area) was authorised, for a range of dates, read at once."""

    spans: dict[tuple[int, int], list[Span]] = field(default_factory=dict)
    stops: dict[tuple[int, int], tuple[dt.date, str]] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        first: dt.date,
        last: dt.date,
        *,
        area_ids: Collection[int] | None = None,
        provider_ids: Collection[int] | None = None,
    ) -> AuthorisedDays:
        found = Authorisation.objects.filter(valid_from__lte=last).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=first)
        )
        if area_ids is not None:
            found = found.filter(area_id__in=area_ids)
        if provider_ids is not None:
            found = found.filter(provider_id__in=provider_ids)
        spans: dict[tuple[int, int], list[Span]] = defaultdict(list)
        stops: dict[tuple[int, int], tuple[dt.date, str]] = {}
        for row in found.order_by("valid_from"):
            key = (row.provider_id, row.area_id)
            span = in_force_span(row)
            if span is not None:
                spans[key].append(span)
            if row.stopped_from is not None and row.stopped_from <= last:
                stops[key] = (row.stopped_from, row.stop_kind)
        return cls({key: _merged(found) for key, found in spans.items()}, stops)

    def covers(self, provider_id: int, area_id: int, day: dt.date) -> bool:
        return any(s.covers(day) for s in self.spans.get((provider_id, area_id), ()))

    def clip(self, provider_id: int, area_id: int, span: Span) -> list[Span]:
        """The parts of `span` on which the provider was authorised in the area."""
        parts = [
            part
            for authorised in self.spans.get((provider_id, area_id), ())
            if (part := span.clip(authorised.start, authorised.end)) is not None
        ]
        return sorted(parts)

    def why_not(self, provider_id: int, area_id: int, area_name: str, day: dt.date) -> str:
        """Why a visit on the day is not accepted, naming the stop when there is one."""
        stop = self.stops.get((provider_id, area_id))
        if stop is not None and stop[0] <= day:
            shown = {"area": area_name, "date": _show(stop[0])}
            if stop[1] == StopKind.SUSPENDED:
                return (
                    _(
                        "Er auktorisation för %(area)s är avstängd från %(date)s; besök från "
                        "den dagen godtas inte och ersätts inte."
                    )
                    % shown
                )
            return (
                _(
                    "Er auktorisation för %(area)s är återkallad från %(date)s; besök från den "
                    "dagen godtas inte och ersätts inte."
                )
                % shown
            )
        return _("Ni är inte auktoriserade för %(area)s den %(date)s.") % {
            "area": area_name,
            "date": _show(day),
        }


def _merged(spans: list[Span]) -> list[Span]:
    """Touching or overlapping spans as one (a renewed contract pays as one holding)."""
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and (merged[-1].end is None or merged[-1].end + ONE_DAY >= span.start):
            before = merged[-1]
            end = None if before.end is None or span.end is None else max(before.end, span.end)
            merged[-1] = Span(before.start, end)
        else:
            merged.append(span)
    return merged


def in_force_sql(provider: str, area: str, day: str) -> str:
    """An SQL condition true when the provider is authorised in the area on the day (column
    expressions), the same rule as `AuthorisedDays.covers`; no parameters."""
    table = Authorisation._meta.db_table
    return f"""EXISTS (
        SELECT 1 FROM {table} au
        WHERE au.provider_id = {provider} AND au.area_id = {area}
          AND au.valid_from <= {day} AND (au.valid_to IS NULL OR au.valid_to >= {day})
          AND (au.stopped_from IS NULL OR au.stopped_from > {day})
    )"""  # noqa: S608 - the table name comes from the model; the columns from our own SQL
