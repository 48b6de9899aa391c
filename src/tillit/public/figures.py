"""A provider's quality figures as Jämföraren shows them (docs/public.md): the user-survey
results, the latest result of the municipality's follow-up and staff continuity, each with
its source and date, or nothing when there is none ("Uppgift saknas" on the page).

Every figure comes from data: survey results and staff continuity from their imports
(`tillit.surveys`), the follow-up from the municipality's reported follow-ups
(`tillit.incidents.results`). Nothing about people is shown: a follow-up gives only its kind,
date and outcome, never its summary, points or documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.incidents.results import LatestResult, latest_follow_up_results
from tillit.organisation.models import Provider
from tillit.public.comparison import Figure, figures_for, min_answers
from tillit.surveys.models import ContinuityLevel, StaffContinuity


def _number(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",")


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


@dataclass(frozen=True)
class ContinuityFigure:
    """The provider's latest staff-continuity figure with the municipality's and the
    country's for the same year."""

    period_from: dt.date
    period_to: dt.date
    staff_mean: Decimal | None  # None: too few customers measured to show
    customers: int | None
    source: str
    municipality: Decimal | None
    country: Decimal | None

    @property
    def explanation(self) -> str:
        if self.staff_mean is None:
            return _(
                "För få kunder (%(n)s) ingick i mätningen för att resultatet ska säga något; "
                "det visas inte."
            ) % {"n": self.customers or 0}
        text = _(
            "Under 14 dagar (%(start)s–%(end)s) träffade utförarens kunder i hemtjänsten i "
            "genomsnitt %(staff)s olika personer ur personalen. Ett lägre tal är bättre: "
            "kunden möter färre olika personer."
        ) % {
            "start": _day(self.period_from),
            "end": _day(self.period_to),
            "staff": _number(self.staff_mean),
        }
        if self.municipality is not None:
            text += " " + _("I hela kommunen var det %(staff)s.") % {
                "staff": _number(self.municipality)
            }
        if self.country is not None:
            text += " " + _("I hela landet var det %(staff)s.") % {"staff": _number(self.country)}
        return text


@dataclass(frozen=True)
class FollowUpFigure:
    """The outcome of the municipality's latest reported follow-up of the provider."""

    reported_on: dt.date
    kind: str
    result: str
    outcome: str

    @property
    def source(self) -> str:
        return _("Kommunens uppföljning av utförare")

    @property
    def explanation(self) -> str:
        return _(
            "Kommunen följer upp att utförarna uppfyller villkoren för att vara godkända. "
            "Den senaste uppföljningen (%(kind)s) rapporterades %(day)s med resultatet: "
            "%(outcome)s."
        ) % {"kind": self.kind.lower(), "day": _day(self.reported_on), "outcome": self.outcome}

    @classmethod
    def from_result(cls, found: LatestResult | None) -> FollowUpFigure | None:
        if found is None or not found.result:
            return None
        return cls(
            reported_on=found.reported_on,
            kind=found.review_type_label,
            result=found.result,
            outcome=found.result_label,
        )


@dataclass
class Quality:
    """Everything Jämföraren shows of one provider's quality."""

    surveys: list[Figure] = field(default_factory=list)
    continuity: ContinuityFigure | None = None
    follow_up: FollowUpFigure | None = None


def continuity_for(provider_ids: list[int]) -> dict[int, ContinuityFigure]:
    """Each provider's latest staff-continuity figure (by the period's end), with the
    municipality's and the country's latest figure of the same year. One query: the
    municipality's and the country's rows are few (one a level and period)."""
    latest: dict[int, StaffContinuity] = {}
    references: dict[tuple[int, str], Decimal] = {}
    for row in StaffContinuity.objects.filter(
        Q(provider_id__in=provider_ids) | Q(provider__isnull=True)
    ).order_by("-period_to"):
        if row.provider_id is None:
            references.setdefault((row.period_to.year, row.level), row.staff_mean)
        else:
            latest.setdefault(row.provider_id, row)
    enough = min_answers()
    return {
        provider_id: ContinuityFigure(
            period_from=row.period_from,
            period_to=row.period_to,
            staff_mean=row.staff_mean if (row.customers or 0) >= enough else None,
            customers=row.customers,
            source=row.source,
            municipality=references.get((row.period_to.year, ContinuityLevel.MUNICIPALITY)),
            country=references.get((row.period_to.year, ContinuityLevel.COUNTRY)),
        )
        for provider_id, row in latest.items()
    }


def quality_for(providers: list[Provider]) -> dict[int, Quality]:
    """Every figure of each provider in three queries, whatever the number of providers; the
    follow-up by incidents' one rule for which follow-up result is public."""
    ids = [p.pk for p in providers]
    surveys = figures_for(ids)
    continuity = continuity_for(ids)
    follow_ups = latest_follow_up_results(ids)
    return {
        p.pk: Quality(
            surveys=surveys[p.pk],
            continuity=continuity.get(p.pk),
            follow_up=FollowUpFigure.from_result(follow_ups.get(p.pk)),
        )
        for p in providers
    }
