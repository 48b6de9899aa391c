"""The demo's goals and comparisons (issue 15): two boards' goals under the council's, 22
indicators (Tillit's own figures, the user surveys' and Kolada's), five years, and Demokommunen
placed among the 290 municipalities.

Everything national here is *synthetic*: the sample in Kolada's shape from
tillit.goals.kolada.sample (real KPI ids, titles and municipality codes; invented values), and
Demokommunen's own national values, drawn at chosen places in that distribution. Each load says
so: "Källa: syntetiska exempeldata i Koladas format". Tillit's own figures are computed from the
demo's data where it has some (child-and-family deadlines, kundval payments); the years before
are invented history, marked as such on each stored value.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from tillit.changelog.log import DEMO
from tillit.goals import actions
from tillit.goals.kolada import sample
from tillit.goals.kolada.municipalities import MUNICIPALITIES
from tillit.goals.models import (
    Direction,
    Indicator,
    Level,
    NationalValue,
    OwnMeasure,
    OwnValue,
    PeriodType,
    SourceKind,
)
from tillit.kundval.models import Authorisation, ServiceKind
from tillit.organisation.models import Board, Membership, Municipality, Provider, Unit
from tillit.organisation.roles import Role
from tillit.surveys.actions import import_results
from tillit.surveys.importing import parse

YEARS = 5
HISTORY_NOTE = "Påhittad historik i demon"

# Where Demokommunen stands, year by year (the share of municipalities better than it).
PLACES = {
    "U21468": [0.22, 0.16, 0.12, 0.09, 0.07],
    "N21704": [0.45, 0.42, 0.40, 0.38, 0.35],
    "N21700": [0.50, 0.52, 0.48, 0.47, 0.45],
    "N23002": [0.40, 0.35, 0.30, 0.26, 0.21],
    "N28015": [0.30, 0.28, 0.27, 0.25, 0.22],
    "N28014": [0.55, 0.50, 0.52, 0.48, 0.46],
    "N33101": [0.35, 0.30, 0.26, 0.20, 0.18],
    "N33100": [0.60, 0.58, 0.55, 0.50, 0.41],
    "N33009": [0.18, 0.15, 0.12, 0.10, 0.11],
    "N31001": [0.12, 0.10, 0.08, 0.07, 0.06],
    "N35025": [0.80, 0.78, 0.76, 0.74, 0.79],
}

SURVEY_SOURCE = "Påhittad brukarundersökning (demo)"
# code, the survey's measure, question, title; the later years come from the public side's seed
# (tillit.demo.public_seed, the same measures), the earlier ones are imported here.
SURVEY = [
    (
        "ENK-HT-HELHET",
        "helhet",
        "Sammantaget nöjd med hemtjänsten",
        "Hemtjänst: sammantaget nöjda, andel (%)",
    ),
    (
        "ENK-HT-TRYGG",
        "trygghet",
        "Känner sig trygg med hemtjänsten",
        "Hemtjänst: känner sig trygga, andel (%)",
    ),
]

OWN = [
    # code, measure, service, title, unit, direction, definition, counterpart, invented levels
    (
        "EGEN-SKYDD-I-TID",
        OwnMeasure.PROTECTIVE_ON_TIME,
        "",
        "Skyddsbedömningar i tid, andel (%)",
        "%",
        Direction.HIGHER,
        "Skyddsbedömningar klara senast den lagstadgade dagen, av dem som räknas (anmälningar "
        "mottagna under året), enligt Tillits nyckeltal för barn och familj.",
        "",
        [93, 95, 96],
    ),
    (
        "EGEN-FHB-I-TID",
        OwnMeasure.INITIAL_ON_TIME,
        "",
        "Förhandsbedömningar inom 14 dagar, andel (%)",
        "%",
        Direction.HIGHER,
        "Förhandsbedömningar beslutade inom 14 dagar från mottagen anmälan, av dem som räknas "
        "(anmälningar mottagna under året).",
        "",
        [82, 86, 89],
    ),
    (
        "EGEN-UTR-I-TID",
        OwnMeasure.INVESTIGATION_ON_TIME,
        "",
        "Utredningar inom fyra månader, andel (%)",
        "%",
        Direction.HIGHER,
        "Utredningar avslutade inom fyra månader, av dem som avslutades under året.",
        "",
        [78, 81, 84],
    ),
    (
        "EGEN-HT-KUNDMAN",
        OwnMeasure.COST_PER_CUSTOMER_MONTH,
        ServiceKind.HOME_CARE,
        "Hemtjänst: kostnad per kund och månad, kr",
        "kr",
        Direction.LOWER,
        "Årets utbetalningar och interndebiteringar för hemtjänst i kundval, delat med antalet "
        "kundmånader (en kund i en månads körning räknas en gång).",
        "",
        [14200, 14900, 15300],
    ),
    (
        "EGEN-HT-TIMME",
        OwnMeasure.COST_PER_HOUR,
        ServiceKind.HOME_CARE,
        "Hemtjänst: kostnad per timme, kr",
        "kr",
        Direction.LOWER,
        "Årets utbetalningar och interndebiteringar för hemtjänst i kundval, delat med antalet "
        "ersatta timmar.",
        "",
        [402, 418, 431],
    ),
    (
        "EGEN-DV-KUNDMAN",
        OwnMeasure.COST_PER_CUSTOMER_MONTH,
        ServiceKind.DAILY_ACTIVITY,
        "Daglig verksamhet: kostnad per kund och månad, kr",
        "kr",
        Direction.LOWER,
        "Årets utbetalningar och interndebiteringar för daglig verksamhet i kundval, delat med "
        "antalet kundmånader. Nationellt jämförs kostnad per brukare och år (N28015).",
        "N28015",
        [19800, 20500, 21100],
    ),
    (
        "EGEN-BS-KUNDMAN",
        OwnMeasure.COST_PER_CUSTOMER_MONTH,
        ServiceKind.HOUSING_SUPPORT,
        "Boendestöd: kostnad per kund och månad, kr",
        "kr",
        Direction.LOWER,
        "Årets utbetalningar och interndebiteringar för boendestöd i kundval, delat med "
        "antalet kundmånader.",
        "",
        [6100, 6300, 6600],
    ),
    (
        "EGEN-AKTIVT-VAL",
        OwnMeasure.ACTIVE_CHOICE,
        "",
        "Kunder som valt anordnare själva, andel (%)",
        "%",
        Direction.HIGHER,
        "Av checkarna som gällde årets sista dag (i år: i dag), andelen där kunden själv valt "
        "anordnare i stället för ickevalsalternativet.",
        "",
        [71, 74, 78],
    ),
    (
        "EGEN-BYTEN",
        OwnMeasure.PROVIDER_CHANGES,
        "",
        "Byten av anordnare per 100 kunder",
        "antal",
        Direction.LOWER,
        "Val som gäller från ett datum under året och ersätter ett tidigare val på samma check, "
        "per 100 checkar som gällde någon dag under året.",
        "",
        [6, 5, 5],
    ),
]


def seed_goals(municipality: Municipality, *, today: dt.date, now: dt.datetime) -> None:
    rng = random.Random(15)
    last = today.year - 1
    years = list(range(last - YEARS + 1, last + 1))
    kolada = {kpi.id: _kolada_indicator(kpi) for kpi in sample.KPIS}
    own = {row[0]: _own_indicator(row, kolada) for row in OWN}
    surveyed = {row[0]: _survey_indicator(row) for row in SURVEY}
    _survey_history(years[:-2], random.Random(1515), now)

    answer = sample.answer(years)
    actions.load_national_values(
        answer, file_name="kolada-urval.json", source_note=sample.SOURCE_NOTE, by=DEMO, now=now
    )
    actions.load_national_values(
        {"values": _placed(municipality.code, years, rng)},
        file_name="demokommunen.json",
        source_note=sample.SOURCE_NOTE,
        by=DEMO,
        now=now,
    )
    for year in (today.year - 1, today.year):
        actions.record_own_values(year, by=DEMO, now=now)
    _own_history(own, today, now, rng)

    social = Board.objects.get(municipality=municipality, name="Socialnämnden")
    elderly = Board.objects.get(municipality=municipality, name="Äldrenämnden")
    child_unit = Unit.objects.get(name="Barn och familj")
    secretary = Membership.objects.filter(role=Role.BOARD_SECRETARY).select_related("user").first()
    _goals(social, elderly, child_unit, kolada, {**own, **surveyed}, years, today, now, secretary)
    actions.save_comparison_group(
        name="Stockholms län",
        members=[code for code in MUNICIPALITIES if code.startswith("01")] + [municipality.code],
        by=DEMO,
        now=now,
    )
    actions.save_comparison_group(
        name="Storstäder och storstadsnära kommuner (urval)",
        members=["0180", "0182", "0160", "0162", "0184", "0186", "1480", "1481", "1280", "1281"],
        by=DEMO,
        now=now,
    )


def _kolada_indicator(kpi: sample.SampleKpi) -> Indicator:
    return Indicator.objects.create(
        code=kpi.id,
        title=kpi.title,
        definition=kpi.definition,
        unit=kpi.unit,
        direction=Direction.HIGHER if kpi.higher_is_better else Direction.LOWER,
        source=SourceKind.KOLADA,
        period_type=PeriodType.YEAR,
        is_cost=kpi.is_cost,
    )


def _own_indicator(row: tuple, kolada: dict[str, Indicator]) -> Indicator:  # type: ignore[type-arg]
    code, measure, service, title, unit, direction, definition, counterpart, _levels = row
    return Indicator.objects.create(
        code=code,
        title=title,
        definition=definition,
        unit=unit,
        direction=direction,
        source=SourceKind.OWN,
        own_measure=measure,
        service_kind=service,
        is_cost=measure in (OwnMeasure.COST_PER_CUSTOMER_MONTH, OwnMeasure.COST_PER_HOUR),
        national_counterpart=kolada.get(counterpart),
    )


def _survey_indicator(row: tuple[str, str, str, str]) -> Indicator:
    code, measure, question, title = row
    return Indicator.objects.create(
        code=code,
        title=title,
        definition=f"Andelen svarande i brukarundersökningen som svarat positivt på frågan "
        f"”{question}”, per anordnare; resultat med för få svar räknas inte.",
        unit="%",
        direction=Direction.HIGHER,
        source=SourceKind.SURVEY,
        survey_measure=measure,
    )


def _survey_history(years: list[int], rng: random.Random, now: dt.datetime) -> None:
    """The earlier years' survey results, imported as a municipality would: a CSV file through
    tillit.surveys' import (some providers with too few answers, hidden on the pages)."""
    lines = ["år;nivå;organisation;mått;fråga;andel;svar;källa"]
    providers = Provider.objects.filter(
        pk__in=Authorisation.objects.values_list("provider_id", flat=True)
    ).order_by("pk")
    for index, year in enumerate(years):
        for _code, measure, question, _title in SURVEY:
            for provider in providers:
                share = Decimal(rng.randint(700 + 20 * index, 930 + 10 * index)) / 10
                answers = rng.choice([7, 30, 45, 90, 160])
                lines.append(
                    f"{year};anordnare;{provider.organisation_number};{measure};{question};"
                    f"{share};{answers};{SURVEY_SOURCE}"
                )
            for level, reference, counted in (
                ("kommunen", 80 + 2 * index, "1100"),
                ("riket", 84 + index, ""),
            ):
                lines.append(
                    f"{year};{level};;{measure};{question};{reference};{counted};{SURVEY_SOURCE}"
                )
    parsed = parse("\n".join(lines).encode())
    import_results(parsed, by=DEMO, now=now)


def _placed(code: str, years: list[int], rng: random.Random) -> list[dict[str, object]]:
    """Demokommunen's values: each year the value at the chosen place among the others."""
    rows: list[dict[str, object]] = []
    for kpi in sample.KPIS:
        for index, year in enumerate(years):
            values = dict(
                NationalValue.objects.filter(indicator__code=kpi.id, year=year)
                .exclude(municipality="0000")
                .values_list("municipality", "value")
            )
            if not values:
                continue
            share = PLACES[kpi.id][index % len(PLACES[kpi.id])]
            better = int(len(values) * share)
            ordered = sorted(values.values(), reverse=kpi.higher_is_better)
            value = ordered[min(better, len(ordered) - 1)]
            rows.append(
                {
                    "kpi": kpi.id,
                    "municipality": code,
                    "period": year,
                    "values": [{"gender": "T", "value": float(value), "count": 1}],
                }
            )
    return rows


def _own_history(
    own: dict[str, Indicator], today: dt.date, now: dt.datetime, rng: random.Random
) -> None:
    """Invented municipal values for the years before the demo's data, marked as such."""
    levels = {row[0]: row[8] for row in OWN}
    first = today.year - YEARS + 1
    for code, indicator in own.items():
        have = set(
            OwnValue.objects.filter(
                indicator=indicator, unit__isnull=True, value__isnull=False
            ).values_list("year", flat=True)
        )
        invented = levels[code]
        for offset, year in enumerate(range(first, first + len(invented))):
            if year in have:
                continue
            OwnValue.objects.filter(indicator=indicator, year=year, unit__isnull=True).delete()
            jitter = Decimal(str(round(rng.uniform(-0.5, 0.5), 1)))
            OwnValue.objects.create(
                indicator=indicator,
                year=year,
                value=Decimal(invented[offset]) + jitter,
                computed_at=now,
                note=HISTORY_NOTE,
            )


def _goals(
    social: Board,
    elderly: Board,
    child_unit: Unit,
    kolada: dict[str, Indicator],
    own: dict[str, Indicator],
    years: list[int],
    today: dt.date,
    now: dt.datetime,
    secretary: Membership | None,
) -> None:
    adopted = dt.date(years[0], 11, 25)
    span: dict[str, Any] = {
        "first_year": years[0],
        "last_year": today.year + 1,
        "by": DEMO,
        "now": now,
    }
    best = actions.create_goal(
        level=Level.COUNCIL,
        title="Alla verksamheter bland de 10 % bästa i landet",
        adopted_by="Kommunfullmäktige",
        adopted_on=adopted,
        description="Kommunens verksamheter ska höra till de 10 % bästa kommunerna i landet.",
        **span,
    )
    efficient = actions.create_goal(
        level=Level.COUNCIL,
        title="Bland de 25 % mest kostnadseffektiva kommunerna",
        adopted_by="Kommunfullmäktige",
        adopted_on=adopted,
        **span,
    )

    def goal(board: Board, parent, title: str, **extra):  # type: ignore[no-untyped-def]
        return actions.create_goal(
            level=extra.pop("level", Level.BOARD),
            title=title,
            adopted_by=board.name,
            adopted_on=adopted + dt.timedelta(days=20),
            parent=parent,
            board=board,
            **extra,
            **span,
        )

    def target(goal_, code: str, indicators: dict[str, Indicator], **how) -> None:  # type: ignore[no-untyped-def]
        actions.set_target(goal_, indicators[code], by=DEMO, now=now, **how)

    children = goal(social, best, "Barn som far illa får skydd och stöd i tid")
    for code, level in (("EGEN-SKYDD-I-TID", 98), ("EGEN-FHB-I-TID", 95), ("EGEN-UTR-I-TID", 90)):
        target(children, code, own, kind="niva", level=Decimal(level))
    unit_goal = goal(
        social,
        children,
        "Förhandsbedömningar klara inom 14 dagar",
        level=Level.UNIT,
        unit=child_unit,
    )
    target(unit_goal, "EGEN-FHB-I-TID", own, kind="niva", level=Decimal(95))
    placement = goal(social, efficient, "Kostnadseffektiv vård för barn och unga")
    for code in ("N33101", "N33100", "N33009"):
        target(placement, code, kolada, kind="placering", best_percent=25)
    support = goal(social, efficient, "Ekonomiskt bistånd på låg nivå")
    target(support, "N31001", kolada, kind="placering", best_percent=10)
    lss = goal(social, efficient, "Kostnadseffektiva insatser enligt LSS")
    for code in ("N28015", "N28014"):
        target(lss, code, kolada, kind="placering", best_percent=25)
    target(lss, "EGEN-BS-KUNDMAN", own, kind="niva", level=Decimal(6500))
    addiction = goal(social, efficient, "Vård för vuxna med missbruk till rimlig kostnad")
    target(addiction, "N35025", kolada, kind="placering", best_percent=25)

    satisfied = goal(elderly, best, "Nöjda brukare i hemtjänsten")
    target(satisfied, "U21468", kolada, kind="placering", best_percent=10)
    target(satisfied, "ENK-HT-HELHET", own, kind="niva", level=Decimal(88))
    target(satisfied, "ENK-HT-TRYGG", own, kind="niva", level=Decimal(90))
    for code in ("N21704", "N21700"):
        target(satisfied, code, kolada, kind="placering", best_percent=25)
    choice = goal(elderly, best, "Kunderna väljer själva")
    target(choice, "EGEN-AKTIVT-VAL", own, kind="niva", level=Decimal(80))
    target(choice, "EGEN-BYTEN", own, kind="niva", level=Decimal(8))
    cost = goal(elderly, efficient, "Kostnadseffektiv äldreomsorg")
    target(cost, "N23002", kolada, kind="placering", best_percent=25)
    target(cost, "EGEN-HT-KUNDMAN", own, kind="niva", level=Decimal(15000))
    target(cost, "EGEN-HT-TIMME", own, kind="niva", level=Decimal(420))
    target(cost, "EGEN-DV-KUNDMAN", own, kind="niva", level=Decimal(21000))

    if secretary is None:
        return
    last = str(years[-1])
    for followed, assessment, comment in (
        (
            satisfied,
            "uppnatt",
            "Nöjdheten har ökat tre år i rad; kommunen är nu bland de 10 % bästa.",
        ),
        (
            children,
            "delvis",
            "Skyddsbedömningarna görs i tid. Förhandsbedömningarna ligger under målet under "
            "sommaren; bemanningen ses över.",
        ),
        (
            cost,
            "delvis",
            "Kostnaden per brukare i särskilt boende närmar sig den bästa fjärdedelen.",
        ),
        (
            placement,
            "ej_uppnatt",
            "Institutionsvården är fortsatt dyr; fler placeringar i familjehem är målet.",
        ),
    ):
        actions.record_follow_up(
            followed,
            period=last,
            assessment=assessment,
            comment=comment,
            by=secretary.user,
            today=today,
            now=now,
        )
