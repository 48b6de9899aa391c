"""A synthetic sample in Kolada's own JSON shape, for the demo and the tests.

These machines have no internet, and no published Kolada values for all 290 municipalities
could be found in the material available offline, so the sample's *values are invented*: drawn
from a fixed seed around plausible levels, every municipality with a lasting tendency of its own
plus yearly noise. The KPI ids and titles are Kolada's own (from its published KPI lists); the
municipality codes and names are SCB's. Every load of the sample says so in its source line:
"Källa: syntetiska exempeldata i Koladas format". Replace it with real values by loading a file
fetched from the API (`tillit kolada fetch`, or a saved answer with `tillit kolada load`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tillit.goals.kolada.municipalities import MUNICIPALITIES, RIKET

SOURCE_NOTE = "Källa: syntetiska exempeldata i Koladas format"
SEED = 15


@dataclass(frozen=True)
class SampleKpi:
    id: str
    title: str
    definition: str
    unit: str
    higher_is_better: bool
    mean: float
    spread: float
    yearly_change: float
    decimals: int
    low: float
    high: float
    is_cost: bool = False


KPIS = [
    SampleKpi(
        "U21468",
        "Brukarbedömning hemtjänst äldreomsorg - helhetssyn, andel (%)",
        "Andel brukare 65 år och äldre med hemtjänst som svarat mycket eller ganska nöjd på "
        "frågan om hur nöjda de sammantaget är med sin hemtjänst (Socialstyrelsens "
        "brukarundersökning).",
        "%",
        True,
        86,
        4.5,
        -0.3,
        0,
        60,
        100,
    ),
    SampleKpi(
        "N21704",
        "Invånare 80+ med hemtjänst i ordinärt boende, andel (%)",
        "Antal personer 80 år och äldre med hemtjänst i ordinärt boende, dividerat med antal "
        "invånare 80 år och äldre den 31/12.",
        "%",
        True,
        19,
        3.5,
        0.1,
        1,
        5,
        40,
    ),
    SampleKpi(
        "N21700",
        "Invånare 65-79 år med hemtjänst i ordinärt boende, andel (%)",
        "Antal personer 65–79 år med hemtjänst i ordinärt boende, dividerat med antal invånare "
        "65–79 år den 31/12.",
        "%",
        True,
        3.6,
        0.9,
        0.0,
        1,
        0.5,
        9,
    ),
    SampleKpi(
        "N23002",
        "Kostnad särskilt boende äldreomsorg exkl lokalkostnader, kr/brukare",
        "Bruttokostnad minus interna intäkter och försäljning till andra kommuner och regioner "
        "för särskilt boende äldreomsorg exkl. lokalkostnader, dividerat med antal personer 65+ "
        "som bor permanent i särskilda boendeformer.",
        "kr",
        False,
        720000,
        70000,
        18000,
        0,
        450000,
        1100000,
        True,
    ),
    SampleKpi(
        "N28015",
        "Kostnad daglig verksamhet enl. LSS, kr/brukare",
        "Bruttokostnad minus interna intäkter och försäljning till andra kommuner och regioner "
        "för daglig verksamhet enligt LSS, dividerad med antal personer med beslut om daglig "
        "verksamhet enligt 9 § 10 LSS.",
        "kr",
        False,
        260000,
        45000,
        6000,
        0,
        120000,
        480000,
        True,
    ),
    SampleKpi(
        "N28014",
        "Kostnad boende enligt LSS kr/brukare",
        "Bruttokostnad minus interna intäkter och försäljning till andra kommuner och regioner "
        "och externa intäkter för bostads- och lokalhyror, dividerad med antal personer i "
        "bostad med särskild service enligt LSS.",
        "kr",
        False,
        1150000,
        130000,
        25000,
        0,
        700000,
        1800000,
        True,
    ),
    SampleKpi(
        "N33101",
        "Kostnad/vårddygn för familjehemsvård av barn och unga 0-20 år, kr (genomsnitt)",
        "Bruttokostnad minus interna intäkter och försäljning till andra kommuner och regioner "
        "för familjehemsvård av barn och unga 0–20 år, dividerad med antal vårddygn i "
        "familjehem under året.",
        "kr",
        False,
        1250,
        260,
        30,
        0,
        600,
        2600,
        True,
    ),
    SampleKpi(
        "N33100",
        "Kostnad/vårddygn för institutionsvård av barn och unga 0-20 år, kr (genomsnitt)",
        "Bruttokostnad minus interna intäkter och försäljning till andra kommuner och regioner "
        "för institutionsvård av barn och unga 0–20 år, dividerad med antal vårddygn på "
        "institution under året.",
        "kr",
        False,
        5600,
        900,
        150,
        0,
        2500,
        10000,
        True,
    ),
    SampleKpi(
        "N33009",
        "Kostnad öppna insatser barn och unga, kr/inv",
        "Bruttokostnad minus interna intäkter och försäljning till andra kommuner och regioner "
        "för öppna insatser för barn och unga, dividerat med antal invånare totalt 31/12.",
        "kr",
        False,
        520,
        170,
        12,
        0,
        80,
        1400,
        True,
    ),
    SampleKpi(
        "N31001",
        "Kostnad ekonomiskt bistånd, kr/inv",
        "Bruttokostnad minus interna intäkter och försäljning till andra kommuner och regioner "
        "för ekonomiskt bistånd (inkl. utredningskostnader), dividerad med antal invånare totalt "
        "den 31/12.",
        "kr",
        False,
        1050,
        420,
        -10,
        0,
        150,
        3500,
        True,
    ),
    SampleKpi(
        "N35025",
        "Kostnad institutionsvård vuxna missbrukare, kr/vårddygn",
        "Bruttokostnad minus interna intäkter och försäljning till andra kommuner och regioner, "
        "avseende vuxna personer med missbruksproblem placerade i institutionsvård (SoL + LVM), "
        "dividerad med antal vårddygn.",
        "kr",
        False,
        3700,
        650,
        70,
        0,
        1500,
        7000,
        True,
    ),
]


def _round(value: float, decimals: int) -> float:
    return float(round(Decimal(str(value)), decimals))


def answer(
    years: list[int],
    *,
    kpis: list[SampleKpi] = KPIS,
    codes: list[str] | None = None,
    seed: int = SEED,
    missing_share: float = 0.03,
) -> dict[str, Any]:
    """Synthetic values for every municipality (and Riket, their plain mean) and year, in the
    shape of Kolada's `/v3/data` answer. A few municipalities lack a value (as in Kolada)."""
    rng = random.Random(seed)  # noqa: S311 - invented sample values, not secrets
    wanted = codes if codes is not None else list(MUNICIPALITIES)
    rows: list[dict[str, Any]] = []
    for kpi in kpis:
        tendency = {code: rng.gauss(0, kpi.spread) for code in wanted}
        for offset, year in enumerate(sorted(years)):
            shown: list[float] = []
            for code in wanted:
                if rng.random() < missing_share:
                    continue
                raw = kpi.mean + offset * kpi.yearly_change + tendency[code]
                raw += rng.gauss(0, kpi.spread * 0.25)
                value = _round(min(max(raw, kpi.low), kpi.high), kpi.decimals)
                shown.append(value)
                rows.append(_row(kpi.id, code, year, value))
            if shown:
                rows.append(
                    _row(kpi.id, RIKET, year, _round(sum(shown) / len(shown), kpi.decimals))
                )
    return {"count": len(rows), "values": rows}


def _row(kpi: str, code: str, year: int, value: float) -> dict[str, Any]:
    return {
        "kpi": kpi,
        "municipality": code,
        "period": year,
        "values": [{"gender": "T", "count": 1, "status": "", "value": value, "isdeleted": False}],
    }
