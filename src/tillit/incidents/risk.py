"""The risk behind the yearly follow-up plan: what happened at each provider the year before."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext as _

from tillit.incidents.models import Complaint, ComplaintKind, Deviation, LexSarahCase
from tillit.kundval.models import Authorisation
from tillit.organisation.models import Municipality, Provider

# Points per event in the year before the plan's year (the municipality's routine).
DEVIATION_POINTS = 1
COMPLAINT_POINTS = 1
LEX_SARAH_POINTS = 3
FIRST_YEAR_POINTS = 4


@dataclass
class Risk:
    score: int = 0
    reasons: list[str] = field(default_factory=list)


def providers_in(municipality: Municipality, on: dt.date) -> QuerySet[Provider]:
    """Providers the municipality follows up: authorised in one of its areas on the date (or
    later that year), and its own municipal units that provide services."""
    year_end = dt.date(on.year, 12, 31)
    authorised = Authorisation.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        area__municipality=municipality,
        valid_from__lte=year_end,
    ).values("provider_id")
    return Provider.objects.filter(
        Q(pk__in=authorised) | Q(is_municipal=True, unit__process__municipality=municipality)
    ).order_by("name")


def risk_of(provider: Provider, year: int) -> Risk:
    start, end = dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)
    risk = Risk()
    deviations = Deviation.objects.filter(
        provider=provider, occurred_on__range=(start, end)
    ).count()
    complaints = Complaint.objects.filter(
        provider=provider, kind=ComplaintKind.COMPLAINT, received_on__range=(start, end)
    ).count()
    lex_sarah = LexSarahCase.objects.filter(
        deviation__provider=provider, occurred_on__range=(start, end)
    ).count()
    first = Authorisation.objects.filter(provider=provider).aggregate(m=Min("valid_from"))["m"]
    if deviations:
        risk.score += deviations * DEVIATION_POINTS
        risk.reasons.append(_("%(n)d avvikelser") % {"n": deviations})
    if complaints:
        risk.score += complaints * COMPLAINT_POINTS
        risk.reasons.append(_("%(n)d klagomål") % {"n": complaints})
    if lex_sarah:
        risk.score += lex_sarah * LEX_SARAH_POINTS
        risk.reasons.append(_("%(n)d lex Sarah-rapporter") % {"n": lex_sarah})
    if first is not None and first >= dt.date(year - 1, 1, 1):
        risk.score += FIRST_YEAR_POINTS
        risk.reasons.append(_("ny anordnare"))
    return risk
