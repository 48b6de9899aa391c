"""Jämföraren's rules: which providers are shown for an area, how they are filtered, and
which quality figures are shown (docs/public.md).

A provider is shown for an area when it is authorised there today (kundval's one rule,
`Authorisation.objects.in_force`), municipal and private alike, in alphabetical order; the
area's default provider (ickevalsalternativ) is marked, not put first. Free capacity is the
authorisation's capacity less the vouchers the provider holds in the area today; no capacity
given means no stated limit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from tillit.kundval.models import Authorisation, Choice, District, KundvalArea, ProviderProfile
from tillit.organisation.models import Provider
from tillit.periods import active_on
from tillit.surveys.models import SurveyReference, SurveyResult

MUNICIPAL = "kommunal"
PRIVATE = "privat"
MIN_COMPARED = 2
MAX_COMPARED = 4


def split_list(text: str) -> list[str]:
    """A profile's languages or specialisations, written as a comma-separated list."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


@dataclass
class Entry:
    """One provider as shown for one area."""

    provider: Provider
    profile: ProviderProfile | None
    is_default: bool
    districts: list[District]
    capacity: int | None
    held: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.held, 0)

    @property
    def has_room(self) -> bool:
        return self.capacity is None or self.held < self.capacity

    @property
    def languages(self) -> list[str]:
        return split_list(self.profile.languages) if self.profile else []

    @property
    def specialisations(self) -> list[str]:
        return split_list(self.profile.specialisations) if self.profile else []


@dataclass
class Filters:
    district: int | None = None
    language: str = ""
    specialisation: str = ""
    ownership: str = ""
    free_only: bool = False

    def keep(self, entry: Entry) -> bool:
        if self.district is not None and all(d.pk != self.district for d in entry.districts):
            return False
        if self.language and self.language.lower() not in {x.lower() for x in entry.languages}:
            return False
        if self.specialisation and self.specialisation.lower() not in {
            x.lower() for x in entry.specialisations
        }:
            return False
        if self.ownership == MUNICIPAL and not entry.provider.is_municipal:
            return False
        if self.ownership == PRIVATE and entry.provider.is_municipal:
            return False
        return not (self.free_only and not entry.has_room)


def areas_with_providers(today: dt.date, provider_id: int | None = None) -> list[KundvalArea]:
    """The areas with a provider authorised today (or where `provider_id` is)."""
    found = Authorisation.objects.in_force(today)
    if provider_id is not None:
        found = found.filter(provider_id=provider_id)
    return list(KundvalArea.objects.filter(pk__in=found.values("area_id")).order_by("name"))


def entries(
    area: KundvalArea, today: dt.date, provider_ids: list[int] | None = None
) -> list[Entry]:
    """Every provider authorised in the area today (or those of `provider_ids` that are)."""
    found = (
        Authorisation.objects.in_force(today)
        .filter(area=area)
        .select_related("provider", "provider__profile")
        .prefetch_related("districts")
        .order_by("provider__name", "valid_from")
    )
    if provider_ids is not None:
        found = found.filter(provider_id__in=provider_ids)
    held = dict(
        Choice.objects.filter(active_on(today), voucher__area=area)
        .values("provider_id")
        .annotate(n=Count("id"))
        .values_list("provider_id", "n")
    )
    by_provider: dict[int, Entry] = {}
    for authorisation in found:
        provider = authorisation.provider
        if provider.pk in by_provider:  # two overlapping contracts: shown once
            continue
        # A missing profile raises RelatedObjectDoesNotExist, an AttributeError.
        profile = getattr(provider, "profile", None)
        by_provider[provider.pk] = Entry(
            provider=provider,
            profile=profile,
            is_default=area.default_provider_id == provider.pk,
            districts=sorted(
                (d for d in authorisation.districts.all() if d.is_open(today)),
                key=lambda d: d.name,
            ),
            capacity=authorisation.capacity,
            held=held.get(provider.pk, 0),
        )
    return sorted(by_provider.values(), key=lambda e: e.provider.name.lower())


def places(provider_id: int, today: dt.date) -> list[tuple[KundvalArea, Entry]]:
    """The areas the provider is authorised in today, by name, each with the provider's entry
    there: three queries whatever the number of areas."""
    found = (
        Authorisation.objects.in_force(today)
        .filter(provider_id=provider_id)
        .select_related("area", "provider", "provider__profile")
        .prefetch_related("districts")
        .order_by("area__name", "area_id", "valid_from")
    )
    held = dict(
        Choice.objects.filter(active_on(today), provider_id=provider_id)
        .values("voucher__area_id")
        .annotate(n=Count("id"))
        .values_list("voucher__area_id", "n")
    )
    shown: dict[int, tuple[KundvalArea, Entry]] = {}
    for authorisation in found:
        area, provider = authorisation.area, authorisation.provider
        if area.pk in shown:  # two overlapping contracts: shown once
            continue
        shown[area.pk] = (
            area,
            Entry(
                provider=provider,
                profile=getattr(provider, "profile", None),
                is_default=area.default_provider_id == provider.pk,
                districts=sorted(
                    (d for d in authorisation.districts.all() if d.is_open(today)),
                    key=lambda d: d.name,
                ),
                capacity=authorisation.capacity,
                held=held.get(area.pk, 0),
            ),
        )
    return list(shown.values())


@dataclass
class Options:
    """What the filters offer for an area: what its providers actually have."""

    districts: list[District] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    specialisations: list[str] = field(default_factory=list)


def options(area: KundvalArea, found: list[Entry], today: dt.date) -> Options:
    districts = {d.pk: d for e in found for d in e.districts}
    languages = {x.lower(): x for e in found for x in e.languages}
    specialisations = {x.lower(): x for e in found for x in e.specialisations}
    return Options(
        districts=sorted(districts.values(), key=lambda d: d.name),
        languages=sorted(languages.values(), key=str.lower),
        specialisations=sorted(specialisations.values(), key=str.lower),
    )


# --- Quality figures -------------------------------------------------------------------------


@dataclass
class Figure:
    measure: str
    label: str
    year: int
    share: Decimal | None  # None: too few answers to show
    answers: int
    source: str
    municipality: Decimal | None
    country: Decimal | None

    @property
    def explanation(self) -> str:
        if self.share is None:
            return _(
                "För få svarade (%(answers)s) för att resultatet ska säga något; det visas inte."
            ) % {"answers": self.answers}
        text = _(
            "Av de %(answers)s som svarade på frågan gav %(share)s procent ett positivt svar, "
            "det vill säga ungefär %(round)s av 10."
        ) % {
            "answers": self.answers,
            "share": _number(self.share),
            "round": round(self.share / 10),
        }
        if self.municipality is not None:
            text += " " + _("I hela kommunen var andelen %(share)s procent.") % {
                "share": _number(self.municipality)
            }
        if self.country is not None:
            text += " " + _("I hela landet var den %(share)s procent.") % {
                "share": _number(self.country)
            }
        return text


def _number(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",")


def min_answers() -> int:
    return int(settings.TILLIT_SURVEY_MIN_ANSWERS)


def figures_for(provider_ids: list[int]) -> dict[int, list[Figure]]:
    """Each provider's latest result per measure, with the municipality's and the country's
    value for the same year and measure; a result with too few answers has no share."""
    latest: dict[tuple[int, str], SurveyResult] = {}
    for row in SurveyResult.objects.filter(provider_id__in=provider_ids).order_by(
        "provider_id", "measure", "-year"
    ):
        latest.setdefault((row.provider_id, row.measure), row)  # type: ignore[arg-type]
    keys = {(r.year, r.measure) for r in latest.values()}
    references: dict[tuple[int, str, str], Decimal] = {}
    if keys:
        for ref in SurveyReference.objects.filter(
            year__in={y for y, _m in keys}, measure__in={m for _y, m in keys}
        ):
            references[(ref.year, ref.measure, ref.scope)] = ref.share_percent
    enough = min_answers()
    result: dict[int, list[Figure]] = {pid: [] for pid in provider_ids}
    for (provider_id, measure), row in sorted(latest.items()):
        result[provider_id].append(
            Figure(
                measure=measure,
                label=row.label,
                year=row.year,
                share=row.share_percent if row.answers >= enough else None,
                answers=row.answers,
                source=row.source,
                municipality=references.get((row.year, measure, "kommunen")),
                country=references.get((row.year, measure, "riket")),
            )
        )
    return result
