"""Kundval for the demo municipality: six areas with invented Nacka-like rates, about 30
authorised providers (one municipal, the default provider), a few thousand customers with
vouchers, choices and re-choices, and three months of performance reports and payment runs
(the first two closed, the third open).

Deterministic (its own seeded random and Faker) and fast: the authorisation process and the
price lists go through the real actions, the bulk (customers, decisions, vouchers, choices,
performance rows) through bulk_create, and the money through the real payment run.
docs/demo-data.md describes what is invented.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from faker import Faker

from tillit.accounts.models import User
from tillit.changelog.log import DEMO
from tillit.demo.personnummer import invented_personnummer
from tillit.individuals.models import Individual
from tillit.kundval.actions.authorisation import (
    approve,
    publish_terms,
    refuse,
    review,
    submit_application,
)
from tillit.kundval.actions.payments import close_month, run_month
from tillit.kundval.actions.performance import ReportRow, report
from tillit.kundval.actions.pricing import RateInput, apply_index_change, create_price_list
from tillit.kundval.models import (
    ApplicationSource,
    Choice,
    ChoiceKind,
    CompensationModel,
    Decision,
    District,
    Extent,
    KundvalArea,
    PaymentRun,
    PerformanceReport,
    ProviderCategory,
    ProviderProfile,
    ReportSource,
    ServiceKind,
    Voucher,
)
from tillit.kundval.periods import ONE_DAY, month_end, month_start, next_month
from tillit.organisation.models import Municipality, Provider, Unit

SEED = 20261123
CUSTOMERS = 2800
MONTHS = 3  # months of performance and payment runs, the last one the current month

HOME_DISTRICTS = ["Boo", "Fisksätra och Saltsjöbaden", "Sicklaön", "Älta", "Orminge"]
WHOLE_MUNICIPALITY = "Hela kommunen"

# The 2024 price lists. Boendestöd is Nacka's 2024 rate (docs/demo-data.md); every other
# amount is invented to be plausible. 2023 is 4 % lower; 2025 and 2026 come from index changes.
M, P, A = ProviderCategory.MUNICIPAL, ProviderCategory.PRIVATE, ProviderCategory.ALL
LEVELS = ["1", "2", "3", "4", "5"]
LEVEL_RATES = {"1": 6200, "2": 8100, "3": 10400, "4": 13300, "5": 16900}
EXTENT_SHARE = {Extent.FULL: Decimal(1), Extent.HALF: Decimal("0.6"), Extent.PART: Decimal("0.4")}
INDEX_CHANGES = [(dt.date(2025, 1, 1), Decimal("3.4")), (dt.date(2026, 1, 1), Decimal("2.8"))]


@dataclass(frozen=True)
class AreaSpec:
    name: str
    kind: ServiceKind
    model: CompensationModel
    rates: tuple[RateInput, ...]
    share: float  # of the vouchers
    cap: bool = False
    notice_days: int = 0
    home: bool = True  # districts: the home districts, else the whole municipality
    goals: str = ""

    @property
    def separate(self) -> bool:
        return any(r.category != A for r in self.rates)


AREAS = [
    AreaSpec(
        "Hemtjänst",
        ServiceKind.HOME_CARE,
        CompensationModel.PERFORMED_HOUR,
        (RateInput(Decimal("452.00"), M), RateInput(Decimal("479.00"), P)),
        0.45,
        cap=True,
        notice_days=14,
        goals="Kunden får hjälp i hemmet av personal hen känner, på de tider som avtalats.",
    ),
    AreaSpec(
        "Boendestöd",
        ServiceKind.HOUSING_SUPPORT,
        CompensationModel.PERFORMED_HOUR,
        (RateInput(Decimal("441.00"), M), RateInput(Decimal("467.00"), P)),
        0.15,
        notice_days=14,
        goals="Stöd att klara vardagen i den egna bostaden och att delta i samhället.",
    ),
    AreaSpec(
        "Daglig verksamhet",
        ServiceKind.DAILY_ACTIVITY,
        CompensationModel.MONTHLY_LEVEL,
        tuple(
            RateInput(Decimal(LEVEL_RATES[level]) * share, A, level, extent)
            for level in LEVELS
            for extent, share in EXTENT_SHARE.items()
        ),
        0.13,
        notice_days=30,
        home=False,
        goals="Meningsfull sysselsättning efter den enskildes önskemål och förmåga (LSS).",
    ),
    AreaSpec(
        "Dagverksamhet",
        ServiceKind.DAY_CARE,
        CompensationModel.ATTENDANCE_DAY,
        (RateInput(Decimal("1085.00"), A),),
        0.09,
        cap=True,
        notice_days=14,
        home=False,
        goals="Social samvaro och aktivering för äldre, med måltider och utflykter.",
    ),
    AreaSpec(
        "Ledsagning",
        ServiceKind.ESCORT,
        CompensationModel.GRANTED_HOUR,
        (RateInput(Decimal("358.00"), A),),
        0.10,
        goals="Följe till aktiviteter, ärenden och besök, så att kunden kan leva som andra.",
    ),
    AreaSpec(
        "Avlösning",
        ServiceKind.RELIEF,
        CompensationModel.VISIT,
        (RateInput(Decimal("1240.00"), A),),
        0.08,
        goals="Avlösning i hemmet så att anhöriga får egen tid.",
    ),
]

PERFORMANCE_AREAS = {"Hemtjänst", "Boendestöd", "Dagverksamhet", "Avlösning"}
PROVIDER_SUFFIXES = [
    "Omsorg AB",
    "Hemtjänst AB",
    "Vård och omsorg AB",
    "Stöd och service AB",
    "Omsorg i Nacka AB",
    "Assistans och ledsagning AB",
]
LANGUAGES = ["svenska", "engelska", "finska", "arabiska", "persiska", "spanska", "polska"]
SPECIALISATIONS = [
    "demens",
    "psykisk ohälsa",
    "neuropsykiatriska funktionsnedsättningar",
    "palliativ vård",
    "kultur och friluftsliv",
]


# A performance row: voucher, provider, date, minutes, visits, attended, start, end, source.
_Row = tuple[int, int, dt.date, int, int, bool, dt.time | None, dt.time | None, str]


@dataclass
class _Provider:
    provider: Provider
    areas: set[str]
    districts: set[str]
    capacity: int | None
    contract_from: dt.date
    held: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class KundvalDemo:
    areas: list[KundvalArea]
    providers: list[Provider]
    runs: list[PaymentRun]


class KundvalSeeder:
    def __init__(
        self,
        *,
        today: dt.date,
        municipality: Municipality,
        unit: Unit,
        officer: User,
        demo_provider: Provider,
        provider_staff: User,
        used_numbers: set[str],
    ) -> None:
        self.today = today
        self.municipality = municipality
        self.unit = unit
        self.officer = officer
        self.demo_provider = demo_provider
        self.provider_staff = provider_staff
        self.used_numbers = used_numbers
        self.rng = random.Random(SEED)
        self.fake = Faker("sv_SE")
        self.fake.seed_instance(SEED)
        self.start = today.replace(year=today.year - 3, day=1)
        first = month_start(today)
        for _ in range(MONTHS - 1):
            first = month_start(first - ONE_DAY)
        self.months = [first]
        while len(self.months) < MONTHS:
            self.months.append(next_month(self.months[-1]))
        self.areas: dict[str, KundvalArea] = {}
        self.districts: dict[str, District] = {}
        self.providers: list[_Provider] = []

    # --- areas, districts, terms and prices ----------------------------------------------

    def build_areas(self) -> None:
        municipal = Provider.objects.create(
            name="Demokommunens vård och omsorg",
            organisation_number="212000-9994",
            is_municipal=True,
        )
        self.municipal = municipal
        for spec in AREAS:
            self.areas[spec.name] = KundvalArea.objects.create(
                municipality=self.municipality,
                unit=self.unit,
                name=spec.name,
                service_kind=spec.kind,
                goals=spec.goals,
                compensation_model=spec.model,
                cap_by_decision=spec.cap,
                separate_rates=spec.separate,
                default_provider=municipal,
                notice_days=spec.notice_days,
            )
        for name in [*HOME_DISTRICTS, WHOLE_MUNICIPALITY]:
            district = District.objects.create(municipality=self.municipality, name=name)
            district.areas.set(
                [self.areas[s.name] for s in AREAS if s.home == (name != WHOLE_MUNICIPALITY)]
            )
            self.districts[name] = district
        general = (
            "Anordnaren har F-skattsedel och betalar skatter och avgifter.\n"
            "Anordnaren har en ansvarsförsäkring.\n"
            "Verksamhetschefen har relevant utbildning och erfarenhet.\n"
            "Anordnaren har ett ledningssystem för systematiskt kvalitetsarbete."
        )
        publish_terms(
            by=DEMO,
            municipality=self.municipality,
            area=None,
            title="Allmänna auktorisationsvillkor",
            valid_from=dt.date(2019, 1, 1),
            text="Version 1 av kommunens allmänna villkor för auktorisation.",
            checklist=general,
        )
        publish_terms(
            by=DEMO,
            municipality=self.municipality,
            area=None,
            title="Allmänna auktorisationsvillkor",
            valid_from=dt.date(2024, 1, 1),
            text="Version 2: krav på rapportering av utförd tid varje dag.",
            checklist=general + "\nAnordnaren rapporterar utförd tid senast dagen efter.",
        )
        for spec in AREAS:
            publish_terms(
                by=DEMO,
                municipality=self.municipality,
                area=self.areas[spec.name],
                title=f"Villkor för {spec.name.lower()}",
                valid_from=dt.date(2019, 1, 1),
                text=spec.goals,
                checklist=(
                    f"Personalen har utbildning för {spec.name.lower()}.\n"
                    "Anordnaren kan ta emot kunder inom fem vardagar."
                ),
            )
            area = self.areas[spec.name]
            create_price_list(
                by=DEMO,
                area=area,
                valid_from=dt.date(2023, 1, 1),
                valid_to=dt.date(2023, 12, 31),
                rates=[
                    RateInput(
                        (r.amount / Decimal("1.04")).quantize(Decimal("0.01")),
                        r.category,
                        r.level,
                        r.extent,
                    )
                    for r in spec.rates
                ],
                decision="Kommunfullmäktige 2022-11-14 (påhittat)",
            )
            create_price_list(
                by=DEMO,
                area=area,
                valid_from=dt.date(2024, 1, 1),
                valid_to=None,
                rates=list(spec.rates),
                decision="Kommunfullmäktige 2023-11-13 (påhittat)",
            )
            for effective_from, percent in INDEX_CHANGES:
                apply_index_change(
                    area=area,
                    percent=percent,
                    effective_from=effective_from,
                    decision=f"Omsorgsprisindex {effective_from.year} (påhittat)",
                    by=self.officer,
                )

    # --- providers through the authorisation process --------------------------------------

    def orgnr(self) -> str:
        from stdnum import luhn

        while True:
            base = f"559{self.rng.randrange(100000, 999999)}"
            number = base + luhn.calc_check_digit(base)
            formatted = f"{number[:6]}-{number[6:]}"
            if not Provider.objects.filter(organisation_number=formatted).exists():
                return formatted

    def authorise(
        self,
        *,
        name: str,
        number: str,
        areas: set[str],
        districts: set[str],
        capacity: int | None,
        contract_from: dt.date,
        municipal: bool = False,
        known: Provider | None = None,
    ) -> _Provider:
        submitted = contract_from - dt.timedelta(days=self.rng.randrange(30, 75))
        application = submit_application(
            by=DEMO,
            municipality=self.municipality,
            name=name,
            organisation_number=number,
            contact_name=self.fake.name(),
            email=f"ansokan{len(self.providers)}@anordnare.demo.invalid",
            areas=[self.areas[a] for a in sorted(areas)],
            districts=[self.districts[d] for d in sorted(districts)],
            submitted_on=submitted,
            capacity=capacity,
            is_municipal=municipal,
        )
        if known is not None:
            application.provider = known
            application.save(update_fields=["provider"])
        review(
            application,
            {item.pk: (True, "") for item in application.review_items.all()},
            by=self.officer,
        )
        approve(
            application,
            by=self.officer,
            decided_on=contract_from - dt.timedelta(days=self.rng.randrange(5, 20)),
            contract_from=contract_from,
            contract_to=None,
        )
        application.refresh_from_db()
        assert application.provider is not None  # noqa: S101 - approve sets it
        return _Provider(application.provider, areas, districts, capacity, contract_from)

    def build_providers(self) -> None:
        early = self.start - dt.timedelta(days=400)
        self.providers.append(
            self.authorise(
                name=self.municipal.name,
                number=self.municipal.organisation_number,
                areas=set(self.areas),
                districts=set(self.districts),
                capacity=None,
                contract_from=early,
                municipal=True,
                known=self.municipal,
            )
        )
        self.providers.append(
            self.authorise(
                name=self.demo_provider.name,
                number=self.demo_provider.organisation_number,
                areas={"Hemtjänst", "Boendestöd", "Ledsagning"},
                districts=set(HOME_DISTRICTS),
                capacity=None,
                contract_from=early,
                known=self.demo_provider,
            )
        )
        # Each area gets several private providers; some serve two or three areas.
        plan = [
            ["Hemtjänst"],
            ["Hemtjänst"],
            ["Hemtjänst", "Avlösning"],
            ["Hemtjänst"],
            ["Hemtjänst", "Ledsagning"],
            ["Hemtjänst"],
            ["Hemtjänst", "Avlösning"],
            ["Hemtjänst"],
            ["Hemtjänst", "Dagverksamhet"],
            ["Hemtjänst"],
            ["Hemtjänst"],
            ["Boendestöd"],
            ["Boendestöd"],
            ["Boendestöd", "Ledsagning"],
            ["Boendestöd"],
            ["Daglig verksamhet"],
            ["Daglig verksamhet"],
            ["Daglig verksamhet", "Ledsagning"],
            ["Daglig verksamhet"],
            ["Dagverksamhet"],
            ["Dagverksamhet"],
            ["Ledsagning", "Avlösning"],
            ["Ledsagning"],
            ["Avlösning"],
            ["Avlösning", "Boendestöd"],
            ["Hemtjänst"],
            ["Boendestöd"],
            ["Ledsagning"],
        ]
        names: set[str] = {p.provider.name for p in self.providers}
        for n, areas in enumerate(plan):
            name = ""
            while not name or name in names:
                suffix = PROVIDER_SUFFIXES[self.rng.randrange(len(PROVIDER_SUFFIXES))]
                name = f"{self.fake.last_name()}s {suffix}"
            names.add(name)
            districts: set[str] = set()
            if any(next(s for s in AREAS if s.name == a).home for a in areas):
                districts |= set(self.rng.sample(HOME_DISTRICTS, self.rng.randint(2, 5)))
            if any(not next(s for s in AREAS if s.name == a).home for a in areas):
                districts.add(WHOLE_MUNICIPALITY)
            # The last few came in later: customers can choose them only since then.
            if n >= len(plan) - 4:
                contract_from = self.today - dt.timedelta(days=self.rng.randrange(150, 700))
            else:
                contract_from = self.start - dt.timedelta(days=self.rng.randrange(30, 900))
            capacity = self.rng.choice([None, None, 60, 90, 150])
            self.providers.append(
                self.authorise(
                    name=name,
                    number=self.orgnr(),
                    areas=set(areas),
                    districts=districts,
                    capacity=capacity,
                    contract_from=contract_from,
                )
            )
        # Still to review, and one refused: work for the kundvalshandläggare. The first and the
        # last came through the e-service; the second on paper, and its review has begun.
        for n in range(3):
            name = f"{self.fake.last_name()}s Omsorg Nya AB"
            e_service = n != 1
            application = submit_application(
                by=DEMO,
                municipality=self.municipality,
                name=name,
                organisation_number=self.orgnr(),
                contact_name=self.fake.name(),
                email=f"ansokan{n}@ny.demo.invalid",
                phone=f"070-{self.rng.randrange(1000000, 9999999)}" if e_service else "",
                areas=[self.areas["Hemtjänst"]],
                districts=[self.districts[HOME_DISTRICTS[n]]],
                submitted_on=self.today - dt.timedelta(days=5 + 9 * n),
                capacity=40,
                source=ApplicationSource.E_SERVICE if e_service else ApplicationSource.OFFICER,
                confirmed_true=e_service,
            )
            if n == 1:
                first_point = application.review_items.order_by("pk").first()
                if first_point is not None:
                    review(
                        application,
                        {first_point.pk: (True, "")},
                        by=self.officer,
                        now=timezone.make_aware(
                            dt.datetime.combine(self.today - dt.timedelta(days=2), dt.time(10))
                        ),
                    )
            if n == 2:
                refuse(
                    application,
                    by=self.officer,
                    decided_on=self.today - dt.timedelta(days=3),
                    reasons="Ansvarsförsäkring saknas och verksamhetschefen saknar utbildning.",
                )
        ProviderProfile.objects.bulk_create(
            ProviderProfile(
                provider=p.provider,
                description=(
                    f"{p.provider.name} erbjuder {', '.join(sorted(a.lower() for a in p.areas))} "
                    "med fast personal och kontaktman för varje kund."
                ),
                languages=", ".join(
                    ["svenska", *self.rng.sample(LANGUAGES[1:], self.rng.randint(0, 3))]
                ),
                specialisations=", ".join(self.rng.sample(SPECIALISATIONS, 2)),
                contact_name=self.fake.name(),
                email=f"kontakt{n}@anordnare.demo.invalid",
                phone=f"08-{self.rng.randrange(100, 999)} {self.rng.randrange(10, 99)} 00",
            )
            for n, p in enumerate(self.providers)
        )

    # --- customers, decisions, vouchers and choices ---------------------------------------

    def eligible(self, area: str, district: str, on: dt.date, exclude: int) -> list[_Provider]:
        found = []
        for p in self.providers:
            if (
                p.provider.pk != exclude
                and area in p.areas
                and district in p.districts
                and p.contract_from <= on
                and (p.capacity is None or p.held[area] < p.capacity)
            ):
                found.append(p)
        return found

    def pick(self, candidates: list[_Provider]) -> _Provider:
        # The demo provider is popular, so its portal has customers to show.
        weights = [4 if c.provider.pk == self.demo_provider.pk else 1 for c in candidates]
        return self.rng.choices(candidates, weights)[0]

    def scope(self, spec: AreaSpec) -> dict[str, object]:
        rng = self.rng
        if spec.name == "Hemtjänst":
            return {"hours_per_month": Decimal(rng.randrange(16, 180)) / 2}
        if spec.name == "Boendestöd":
            return {"hours_per_month": Decimal(rng.randrange(4, 31))}
        if spec.name == "Daglig verksamhet":
            return {
                "level": rng.choice(LEVELS),
                "extent": rng.choices(list(EXTENT_SHARE), [5, 3, 2])[0],
            }
        if spec.name == "Dagverksamhet":
            return {"days_per_month": rng.randrange(4, 21)}
        return {"hours_per_month": Decimal(rng.randrange(4, 21))}

    def build_customers(self) -> None:
        rng = self.rng
        officers: list[int | None] = list(
            User.objects.filter(memberships__group__name__startswith="Biståndshandläggning")
            .order_by("pk")
            .values_list("pk", flat=True)
            .distinct()
        ) or [None]
        people: list[Individual] = []
        wanted: list[AreaSpec] = []
        for spec in AREAS:
            wanted += [spec] * round(CUSTOMERS * spec.share)
        for spec in wanted:
            elderly = spec.name in {"Hemtjänst", "Dagverksamhet"}
            years = rng.randrange(67, 99) if elderly else rng.randrange(19, 66)
            born = self.today - dt.timedelta(days=years * 365 + rng.randrange(365))
            number = invented_personnummer(born, rng)
            while number in self.used_numbers:
                born += ONE_DAY
                number = invented_personnummer(born, rng)
            self.used_numbers.add(number)
            people.append(
                Individual(
                    personal_number=number,
                    first_name=self.fake.first_name(),
                    last_name=self.fake.last_name(),
                    date_of_birth=born,
                    street_address=self.fake.street_address(),
                    postal_code=self.fake.postcode().replace(" ", ""),
                    city="Nacka",
                )
            )
        Individual.objects.bulk_create(people)
        # One in eight hemtjänst customers also goes to dagverksamhet.
        pairs = list(zip(people, wanted, strict=True))
        extra = AREAS[3]
        pairs += [(person, extra) for person, spec in pairs[::8] if spec.name == "Hemtjänst"]

        decisions = []
        last_start = self.today - dt.timedelta(days=10)
        span_days = (last_start - self.start).days
        for person, spec in pairs:
            home = spec.home
            district = rng.choice(HOME_DISTRICTS) if home else WHOLE_MUNICIPALITY
            valid_from = self.start + dt.timedelta(days=rng.randrange(span_days))
            valid_to = None
            if rng.random() < 0.3:
                valid_to = valid_from + dt.timedelta(days=rng.randrange(60, 900))
            decisions.append(
                Decision(
                    individual=person,
                    area=self.areas[spec.name],
                    district=self.districts[district],
                    valid_from=valid_from,
                    valid_to=valid_to,
                    decided_on=valid_from - dt.timedelta(days=rng.randrange(0, 15)),
                    decided_by_id=rng.choice(officers),
                    **self.scope(spec),
                )
            )
        Decision.objects.bulk_create(decisions)
        vouchers = Voucher.objects.bulk_create(
            Voucher(
                decision=d,
                individual_id=d.individual_id,
                area_id=d.area_id,
                valid_from=d.valid_from,
                valid_to=d.valid_to,
            )
            for d in decisions
        )
        self.vouchers = list(zip(vouchers, decisions, strict=True))
        choices: list[Choice] = []
        for voucher, decision in self.vouchers:
            choices += self.choices_for(voucher, decision)
        Choice.objects.bulk_create(choices)
        self.choices: dict[int, list[Choice]] = defaultdict(list)
        for choice in choices:
            self.choices[choice.voucher_id].append(choice)

    def choices_for(self, voucher: Voucher, decision: Decision) -> list[Choice]:
        """Default provider first; most customers choose within weeks, some choose again
        (from the area's notice days on), a few of them during the demo months."""
        rng = self.rng
        area = next(name for name, a in self.areas.items() if a.pk == voucher.area_id)
        district = next(n for n, d in self.districts.items() if d.pk == decision.district_id)
        notice = dt.timedelta(days=self.areas[area].notice_days)
        end = voucher.valid_to
        made = [
            Choice(
                voucher=voucher,
                provider=self.municipal,
                kind=ChoiceKind.DEFAULT,
                chosen_on=decision.decided_on,
                valid_from=voucher.valid_from,
                valid_to=end,
            )
        ]
        if rng.random() < 0.25:
            return made
        chosen_on = decision.decided_on + dt.timedelta(days=rng.randrange(0, 21))
        start = max(chosen_on, voucher.valid_from)
        if start > self.today or (end is not None and start > end):
            return made
        candidates = self.eligible(area, district, start, exclude=self.municipal.pk)
        if not candidates:
            return made
        holder = self.pick(candidates)
        holder.held[area] += 1
        if start == voucher.valid_from:
            made.pop()
        else:
            made[-1].valid_to = start - ONE_DAY
        made.append(
            Choice(
                voucher=voucher,
                provider=holder.provider,
                kind=ChoiceKind.CHOSEN,
                chosen_on=chosen_on,
                valid_from=start,
                valid_to=end,
            )
        )
        roll = rng.random()
        if roll < 0.04:  # re-choice that takes effect in the demo months
            first, last = self.months[0], self.today - ONE_DAY
            chosen_on = first - notice + dt.timedelta(days=rng.randrange((last - first).days))
        elif roll < 0.14:
            chosen_on = start + dt.timedelta(days=rng.randrange(20, 900))
        else:
            return made
        effective = chosen_on + notice
        if effective <= start or chosen_on > self.today or (end is not None and effective > end):
            return made
        candidates = self.eligible(area, district, effective, exclude=holder.provider.pk)
        if not candidates:
            return made
        again = self.pick(candidates)
        again.held[area] += 1
        made[-1].valid_to = effective - ONE_DAY
        made.append(
            Choice(
                voucher=voucher,
                provider=again.provider,
                kind=ChoiceKind.CHOSEN,
                chosen_on=chosen_on,
                valid_from=effective,
                valid_to=end,
            )
        )
        return made

    # --- performance reports ----------------------------------------------------------------

    def build_performance(self) -> None:
        rng = self.rng
        first, last = self.months[0], self.today - ONE_DAY
        sources = [ReportSource.PORTAL, ReportSource.CSV, ReportSource.API]
        rows: list[_Row] = []
        for voucher, decision in self.vouchers:
            area = next(name for name, a in self.areas.items() if a.pk == voucher.area_id)
            if area not in PERFORMANCE_AREAS:
                continue
            lo = max(first, voucher.valid_from)
            hi = min(last, voucher.valid_to or last)
            if lo > hi:
                continue
            hours = float(decision.hours_per_month or 0)
            if area == "Hemtjänst":
                share = min(1.0, hours / 30 + 0.2)
            elif area == "Boendestöd":
                share = 2.5 / 7
            elif area == "Dagverksamhet":
                share = min(1.0, (decision.days_per_month or 8) / 21.7 * rng.uniform(0.8, 1.05))
            else:
                share = min(1.0, hours / 4 / 30.4)
            source = rng.choice(sources)
            day = lo
            while day <= hi:
                holder = next(
                    c.provider_id
                    for c in self.choices[voucher.pk]
                    if c.valid_from <= day and (c.valid_to is None or day <= c.valid_to)
                )
                weekend = day.weekday() >= 5
                if (area != "Dagverksamhet" or not weekend) and rng.random() < share:
                    rows.append(self.row(area, voucher, holder, day, hours, share, source))
                day += ONE_DAY
        self.insert_reports(rows)

    def row(
        self,
        area: str,
        voucher: Voucher,
        provider_id: int,
        day: dt.date,
        hours: float,
        share: float,
        source: str,
    ) -> _Row:
        rng = self.rng
        minutes, visits, attended = 0, 0, False
        starts_at: dt.time | None = None
        if area == "Dagverksamhet":
            attended = True
        elif area == "Avlösning":
            visits, minutes = 1, 60 * rng.randint(2, 5)
            starts_at = dt.time(rng.randint(9, 13))
        else:
            low, high = (0.8, 1.2) if area == "Hemtjänst" else (0.7, 1.1)
            per_day = hours * 60 / (30.4 * share) * rng.uniform(low, high)
            minutes = max(15, min(600, round(per_day / 5) * 5))
            quarter = rng.randrange(0, 24)
            starts_at = dt.time(7 + quarter // 4, 15 * (quarter % 4))
        ends_at = None
        if starts_at is not None:
            ends = dt.datetime.combine(day, starts_at) + dt.timedelta(minutes=minutes)
            ends_at = ends.time()
        return (voucher.pk, provider_id, day, minutes, visits, attended, starts_at, ends_at, source)

    def insert_reports(self, rows: list[_Row]) -> None:
        """About 100,000 rows: one executemany, values adapted as the ORM would, skipping the
        per-object cost of bulk_create (most of the seeding time otherwise)."""
        ops = connection.ops
        now = ops.adapt_datetimefield_value(timezone.now())
        table = PerformanceReport._meta.db_table
        sql = (
            f"INSERT INTO {table} (voucher_id, provider_id, date, minutes, visits, attended, "  # noqa: S608 - the model's table
            "starts_at, ends_at, source, reported_at, note) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '')"
        )
        values = [
            (
                voucher_id,
                provider_id,
                ops.adapt_datefield_value(day),
                minutes,
                visits,
                attended,
                ops.adapt_timefield_value(starts_at),
                ops.adapt_timefield_value(ends_at),
                source,
                now,
            )
            for (
                voucher_id,
                provider_id,
                day,
                minutes,
                visits,
                attended,
                starts_at,
                ends_at,
                source,
            ) in rows
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(values), 5000):
                cursor.executemany(sql, values[start : start + 5000])
            if connection.vendor == "postgresql":
                # The seed runs in one transaction, which autovacuum cannot see: without fresh
                # statistics PostgreSQL plans the payment run's range join for empty tables and
                # takes minutes instead of a second.
                tables = [
                    m._meta.db_table
                    for m in (PerformanceReport, Choice, Voucher, Decision, Individual)
                ]
                cursor.execute(f"ANALYZE {', '.join(tables)}")

    # --- payment runs -------------------------------------------------------------------------

    def build_runs(self) -> list[PaymentRun]:
        runs = []
        now = timezone.now()
        for month in self.months[:-1]:
            run = PaymentRun.objects.create(municipality=self.municipality, month=month)
            closed = timezone.make_aware(
                dt.datetime.combine(next_month(month) + dt.timedelta(days=4), dt.time(10))
            )
            runs.append(close_month(run, by=self.officer, now=min(closed, now)))
        self.corrections()
        runs.append(run_month(self.municipality, self.months[-1], now=now, by=self.officer))
        return runs

    def corrections(self) -> None:
        """The demo provider corrects a few boendestöd rows of the closed months: the open
        month's run pays the difference as adjustment lines."""
        closed_end = month_end(self.months[-2])
        rows = list(
            PerformanceReport.objects.filter(
                provider=self.demo_provider,
                voucher__area=self.areas["Boendestöd"],
                date__lte=closed_end,
            ).order_by("date", "pk")[:40:8]
        )
        if not rows:
            return
        report(
            self.demo_provider,
            [
                ReportRow(
                    voucher_id=row.voucher_id,
                    date=row.date,
                    minutes=row.minutes + 30,
                    starts_at=row.starts_at,
                    ends_at=(
                        dt.datetime.combine(row.date, row.starts_at)
                        + dt.timedelta(minutes=row.minutes + 30)
                    ).time()
                    if row.starts_at
                    else None,
                    corrects_id=row.pk,
                    note="Glömd tid vid besöket.",
                )
                for row in rows
            ],
            by=self.provider_staff,
            source=ReportSource.PORTAL,
            today=self.today,
        )

    def run(self) -> KundvalDemo:
        self.build_areas()
        self.build_providers()
        self.build_customers()
        self.build_performance()
        runs = self.build_runs()
        return KundvalDemo(
            areas=list(self.areas.values()),
            providers=[p.provider for p in self.providers],
            runs=runs,
        )
