"""Compliance figures: the definitions pinned with fixed dates and hand-computed answers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from tillit.access.policy import Viewer
from tillit.audit.models import AccessAction, AccessLog
from tillit.children import actions
from tillit.children.figures import (
    GROUP,
    UNIT,
    Compliance,
    Figures,
    Period,
    Scope,
    compute,
    table,
)
from tillit.children.figures.trend import trend, trend_counts
from tillit.children.models import (
    Deadline,
    DeadlineKind,
    InitialDecision,
    InitialExtension,
    Investigation,
    InvestigationExtension,
    ReportedChild,
)
from tillit.children.tests.conftest import NOW, RECEIVED, STOCKHOLM, report_input
from tillit.conftest import World
from tillit.organisation.models import Group

TODAY = dt.date(2026, 6, 15)
MARCH = Period.month(2026, 3)
APRIL = Period.month(2026, 4)
Q1 = Period.quarter(2026, 1)
Q2 = Period.quarter(2026, 2)
D = dt.date


def _scope(world: World, persona: str) -> Scope:
    scope = Scope.of(Viewer.of(world.people[persona], now=NOW))
    assert scope is not None
    return scope


def _figures(world: World, period: Period, persona: str = "director", level: str = UNIT) -> Figures:
    return compute(_scope(world, persona), period, level, TODAY, with_reasons=True)


def _new_track(world: World) -> ReportedChild:
    report = actions.register_report(
        report_input(world), by=world.people["reception_worker"], now=NOW
    )
    return report.tracks.get()


def item(
    world: World,
    kind: str,
    started: dt.date,
    legal_due: dt.date,
    done: dt.date | None = None,
    extended_to: dt.date | None = None,
    group: Group | None = None,
) -> Deadline:
    """One Deadline row with exactly these dates.

    The rows are written directly (after creating the record they belong to) because the
    figures read nothing but the Deadline table, and the classification tests need dates the
    deadline engine would only give through long chains of actions. The tests further down go
    through children.actions end to end.
    """
    group = group or world.reception
    dates = {
        "started_on": started,
        "nominal_due": legal_due,
        "effective_due": legal_due,
        "due": extended_to or legal_due,
        "extended": extended_to is not None,
        "completed_on": done,
        "unit_id": group.unit_id,
        "group_id": group.pk,
    }
    if kind == DeadlineKind.INVESTIGATION:
        case = world.cases["investigated"]
        investigation = Investigation.objects.create(
            individual=case.individual, case=case, opened_on=started
        )
        return Deadline.objects.create(
            kind=kind, investigation=investigation, individual=case.individual, **dates
        )
    track = _new_track(world)
    Deadline.objects.filter(track=track, kind=kind).update(**dates)
    # The track's other assessment is not part of this test: drop its row.
    Deadline.objects.filter(track=track).exclude(kind=kind).delete()
    return Deadline.objects.get(track=track, kind=kind)


# --- On time, extended, late, ongoing ----------------------------------------------------------

# (case, legal due, done on, extended to, expected (on_time, extended, late, ongoing)) with the
# figures taken on TODAY = 2026-06-15 and the report received 2026-03-10.
OUTCOMES = [
    ("done on the due day", D(2026, 3, 24), D(2026, 3, 24), None, (1, 0, 0, 0)),
    ("done the day after", D(2026, 3, 24), D(2026, 3, 25), None, (0, 0, 1, 0)),
    ("done early", D(2026, 3, 24), D(2026, 3, 11), None, (1, 0, 0, 0)),
    ("extended, done in the extension", D(2026, 3, 24), D(2026, 4, 2), D(2026, 4, 7), (0, 1, 0, 0)),
    ("extended, done after it too", D(2026, 3, 24), D(2026, 4, 9), D(2026, 4, 7), (0, 1, 0, 0)),
    ("extended but done in time", D(2026, 3, 24), D(2026, 3, 24), D(2026, 4, 7), (1, 0, 0, 0)),
    ("open, due today", TODAY, None, None, (0, 0, 0, 1)),
    ("open, due yesterday", TODAY - dt.timedelta(days=1), None, None, (0, 0, 1, 0)),
    ("open, extended, legal date passed", D(2026, 6, 1), None, D(2026, 6, 30), (0, 1, 0, 0)),
    ("open, not yet due", D(2026, 7, 1), None, None, (0, 0, 0, 1)),
]


@pytest.mark.parametrize("kind", [DeadlineKind.PROTECTIVE, DeadlineKind.INITIAL])
@pytest.mark.parametrize(
    ("legal_due", "done", "extended_to", "expected"),
    [case[1:] for case in OUTCOMES],
    ids=[case[0] for case in OUTCOMES],
)
def test_each_item_lands_in_exactly_one_column(
    reception: World,
    kind: str,
    legal_due: dt.date,
    done: dt.date | None,
    extended_to: dt.date | None,
    expected: tuple[int, int, int, int],
) -> None:
    item(reception, kind, D(2026, 3, 10), legal_due, done, extended_to)
    total = _figures(reception, MARCH).total
    got = total.protective if kind == DeadlineKind.PROTECTIVE else total.initial
    assert (got.on_time, got.extended, got.late, got.ongoing) == expected


@pytest.mark.parametrize(
    ("counts", "share"),
    [
        ((3, 0, 1, 5), Decimal("75.0")),  # ongoing items are outside the share
        ((2, 1, 0, 0), Decimal("66.7")),  # an extension is not on time; rounded half up
        ((1, 1, 1, 0), Decimal("33.3")),
        ((0, 0, 0, 4), None),  # nothing counted yet: no share rather than 0 %
        ((7, 0, 0, 0), Decimal("100.0")),
    ],
)
def test_share_on_time(counts: tuple[int, int, int, int], share: Decimal | None) -> None:
    assert Compliance(*counts).share_percent == share


# --- Which period ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "counted_in", "not_in"),
    [
        (D(2026, 3, 31), [MARCH, Q1], [APRIL, Q2]),
        (D(2026, 4, 1), [APRIL, Q2], [MARCH, Q1]),
        (D(2026, 1, 1), [Q1, Period.month(2026, 1)], [Period.quarter(2025, 4)]),
        (D(2025, 12, 31), [Period.quarter(2025, 4), Period.month(2025, 12)], [Q1]),
    ],
)
def test_assessments_count_in_the_period_of_receipt(
    reception: World, started: dt.date, counted_in: list[Period], not_in: list[Period]
) -> None:
    item(reception, DeadlineKind.INITIAL, started, started + dt.timedelta(days=14), started)
    for period in counted_in:
        assert _figures(reception, period).total.initial.on_time == 1, period
    for period in not_in:
        assert _figures(reception, period).total.initial.counted == 0, period


def test_investigations_count_in_the_period_they_were_closed(reception: World) -> None:
    item(reception, DeadlineKind.INVESTIGATION, D(2025, 11, 20), D(2026, 3, 20), D(2026, 3, 31))
    item(reception, DeadlineKind.INVESTIGATION, D(2025, 12, 1), D(2026, 4, 1), D(2026, 4, 1))
    march, april = _figures(reception, MARCH).total, _figures(reception, APRIL).total
    assert (march.investigation.on_time, march.investigation.late) == (0, 1)
    assert (april.investigation.on_time, april.investigation.late) == (1, 0)
    assert _figures(reception, Period.month(2025, 11)).total.investigation.counted == 0


# (opened, legal due, closed) -> counted as open past due at the end of Q1 (2026-03-31)?
OPEN_OVERDUE = [
    ("open, due in February", D(2025, 10, 1), D(2026, 2, 2), None, 1),
    ("closed in April, due in February", D(2025, 10, 1), D(2026, 2, 2), D(2026, 4, 10), 1),
    ("closed in March", D(2025, 10, 1), D(2026, 2, 2), D(2026, 3, 15), 0),
    ("due on the last day", D(2025, 11, 30), D(2026, 3, 31), None, 0),
    ("due the day before", D(2025, 11, 30), D(2026, 3, 30), None, 1),
    ("opened after the quarter", D(2026, 4, 2), D(2026, 3, 1), None, 0),
]


@pytest.mark.parametrize(
    ("opened", "legal_due", "closed", "expected"),
    [case[1:] for case in OPEN_OVERDUE],
    ids=[case[0] for case in OPEN_OVERDUE],
)
def test_open_investigations_past_due_at_period_end(
    reception: World,
    opened: dt.date,
    legal_due: dt.date,
    closed: dt.date | None,
    expected: int,
) -> None:
    item(reception, DeadlineKind.INVESTIGATION, opened, legal_due, closed)
    assert _figures(reception, Q1).total.open_overdue_investigations == expected


def test_a_current_period_is_judged_today_not_at_its_end(reception: World) -> None:
    item(reception, DeadlineKind.INVESTIGATION, D(2026, 1, 5), D(2026, 6, 10), None)
    item(reception, DeadlineKind.INVESTIGATION, D(2026, 1, 5), D(2026, 6, 20), None)
    assert _figures(reception, Q2).total.open_overdue_investigations == 1


# --- Medians -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "median"),
    [
        ([10], Decimal("10.0")),
        ([3, 14, 10], Decimal("10.0")),
        ([2, 30, 9, 5], Decimal("7.0")),
        ([1, 2], Decimal("1.5")),
        ([], None),
    ],
)
def test_median_days_from_receipt_to_decision(
    reception: World, days: list[int], median: Decimal | None
) -> None:
    start = D(2026, 3, 2)
    for n in days:
        item(reception, DeadlineKind.INITIAL, start, D(2026, 3, 16), start + dt.timedelta(days=n))
    item(reception, DeadlineKind.INITIAL, start, D(2026, 7, 16))  # open: not in the median
    assert _figures(reception, MARCH).total.initial.median_days == median


def test_median_days_of_investigations_opened_to_closed(reception: World) -> None:
    for opened, closed in [(D(2025, 12, 1), D(2026, 3, 11)), (D(2025, 11, 1), D(2026, 3, 2))]:
        item(reception, DeadlineKind.INVESTIGATION, opened, D(2026, 4, 1), closed)
    # 100 and 121 days
    assert _figures(reception, MARCH).total.investigation.median_days == Decimal("110.5")


# --- Units and groups --------------------------------------------------------------------------


def _spread(world: World) -> None:
    other_group = Group.objects.get(unit=world.other_unit)
    start = D(2026, 3, 2)
    for group, done in [
        (world.reception, D(2026, 3, 10)),
        (world.reception, D(2026, 3, 16)),
        (world.reception, D(2026, 3, 20)),
        (world.investigation, D(2026, 3, 3)),
        (other_group, D(2026, 3, 30)),
    ]:
        item(world, DeadlineKind.INITIAL, start, D(2026, 3, 16), done, group=group)


def _by_name(figures: Figures) -> dict[str, tuple[int, int, Decimal | None]]:
    return {
        row.name: (row.initial.on_time, row.initial.late, row.initial.median_days)
        for row in [*figures.rows, figures.total]
    }


@pytest.mark.parametrize(
    ("persona", "level", "expected"),
    [
        (
            "director",
            UNIT,
            {
                "Barn och familj": (3, 1, Decimal("11.0")),
                "Omsorgsenheten": (0, 1, Decimal("28.0")),
                "Totalt": (3, 2, Decimal("14.0")),
            },
        ),
        (
            "director",
            GROUP,
            {
                "Mottagning": (2, 1, Decimal("14.0")),
                "Utredning": (1, 0, Decimal("1.0")),
                "Biståndshandläggning": (0, 1, Decimal("28.0")),
                "Totalt": (3, 2, Decimal("14.0")),
            },
        ),
        (
            "unit_head",
            UNIT,
            {"Barn och familj": (3, 1, Decimal("11.0")), "Totalt": (3, 1, Decimal("11.0"))},
        ),
        (
            "unit_head",
            GROUP,
            {
                "Mottagning": (2, 1, Decimal("14.0")),
                "Utredning": (1, 0, Decimal("1.0")),
                "Totalt": (3, 1, Decimal("11.0")),
            },
        ),
        (
            "reception_head",
            GROUP,
            {"Mottagning": (2, 1, Decimal("14.0")), "Totalt": (2, 1, Decimal("14.0"))},
        ),
        (
            "other_unit_head",
            GROUP,
            {"Biståndshandläggning": (0, 1, Decimal("28.0")), "Totalt": (0, 1, Decimal("28.0"))},
        ),
    ],
)
def test_per_unit_and_per_group_within_the_readers_scope(
    reception: World, persona: str, level: str, expected: dict[str, tuple[int, int, Decimal]]
) -> None:
    _spread(reception)
    assert _by_name(_figures(reception, MARCH, persona, level)) == expected


def test_a_group_head_has_no_unit_wide_figures(reception: World) -> None:
    scope = _scope(reception, "reception_head")
    assert scope.levels == [GROUP]
    with pytest.raises(ValueError, match=UNIT):
        compute(scope, MARCH, UNIT, TODAY)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("reception_worker", False),
        ("investigation_worker", False),
        ("reception_head", True),
        ("unit_head", True),
        ("quality_developer", True),
        ("director", True),
        ("board_secretary", True),
        ("kundval_officer", False),
        ("provider_staff", False),
        ("system_admin", False),
        ("outsider", False),
    ],
)
def test_who_may_see_figures(reception: World, persona: str, allowed: bool) -> None:
    assert (Scope.of(Viewer.of(reception.people[persona], now=NOW)) is not None) is allowed
    response = reception.client(persona).get(reverse("children:figures"))
    assert response.status_code == (200 if allowed else 403)


# --- Through the actions -----------------------------------------------------------------------

LATER = dt.datetime(2026, 4, 20, 12, 0, tzinfo=STOCKHOLM)
ALL_NO = {
    "vald_mot_barnet": "nej",
    "bevittnat_vald": "nej",
    "hedersrelaterat": "nej",
    "sexuella_overgrepp": "nej",
    "utovare_tillgang": "nej",
    "hot": "nej",
}


def _register_at(world: World, received_at: dt.datetime) -> ReportedChild:
    report = actions.register_report(
        report_input(world, received_at=received_at),
        by=world.people["reception_worker"],
        now=LATER,
    )
    return report.tracks.get()


def _assess_and_decide(world: World, track: ReportedChild, decided_on: dt.date) -> None:
    worker = world.people["reception_worker"]
    actions.record_protective_assessment(
        track,
        by=worker,
        assessed_at=track.received_at + dt.timedelta(minutes=30),
        immediate_protection=False,
        reasoning="Inga uppgifter om akut fara.",
        late_reason="Kom in sent.",
        now=LATER,
    )
    actions.record_risk_assessment(track, by=worker, answers=ALL_NO, level="lag", now=LATER)
    actions.decide_initial_assessment(
        track,
        actions.Decision(
            decision=InitialDecision.NOT_OPEN,
            decided_on=decided_on,
            reasons="Inget behov av utredning.",
            late_reason="Hög arbetsbelastning.",
        ),
        by=world.people["reception_head"],
        now=LATER,
    )


def test_a_report_at_2330_on_31_march_belongs_to_march(reception: World) -> None:
    _register_at(reception, dt.datetime(2026, 3, 31, 23, 30, tzinfo=STOCKHOLM))  # 21.30 UTC
    _register_at(reception, dt.datetime(2026, 4, 1, 0, 15, tzinfo=STOCKHOLM))  # 31 March UTC
    for period, expected in [(MARCH, 1), (Q1, 1), (APRIL, 1), (Q2, 1)]:
        total = _figures(reception, period).total
        assert total.protective.counted + total.protective.ongoing == expected, period


def test_lag_1930_173_moves_the_14_days_past_a_weekend(reception: World) -> None:
    saturday = dt.datetime(2026, 3, 14, 10, 0, tzinfo=STOCKHOLM)
    in_time, late = _register_at(reception, saturday), _register_at(reception, saturday)
    deadline = Deadline.objects.get(track=in_time, kind=DeadlineKind.INITIAL)
    # 14 days end on Saturday 28 March; lag (1930:173) gives until Monday 30 March.
    assert (deadline.nominal_due, deadline.effective_due) == (D(2026, 3, 28), D(2026, 3, 30))
    _assess_and_decide(reception, in_time, D(2026, 3, 30))
    _assess_and_decide(reception, late, D(2026, 3, 31))
    initial = _figures(reception, MARCH).total.initial
    assert (initial.on_time, initial.extended, initial.late) == (1, 0, 1)
    assert initial.median_days == Decimal("16.5")  # 16 and 17 days


def test_an_extension_is_shown_apart_and_its_grounds_only_to_the_unit(reception: World) -> None:
    track = _register_at(reception, RECEIVED)  # Thursday 12 March: legal date 26 March
    second = _register_at(reception, RECEIVED)
    for which, grounds in [(track, "Väntar på läkarintyg "), (second, "väntar på läkarintyg")]:
        actions.extend_initial_assessment(
            which,
            by=reception.people["reception_head"],
            grounds=grounds,
            new_due=D(2026, 4, 9),
            decided_on=D(2026, 3, 20),
            now=LATER,
        )
    _assess_and_decide(reception, track, D(2026, 4, 2))
    for persona, sees_reasons in [
        ("unit_head", True),
        ("quality_developer", True),
        ("director", False),
        ("board_secretary", False),
        ("reception_head", False),
    ]:
        figures = _figures(reception, MARCH, persona, GROUP)
        initial = figures.total.initial
        assert (initial.on_time, initial.extended, initial.late, initial.ongoing) == (0, 2, 0, 0)
        assert figures.total.initial_extensions == 2
        reception_row = next(r for r in figures.rows if r.key == reception.reception.pk)
        if sees_reasons:
            assert reception_row.reasons is not None
            # Grouped regardless of case and surrounding spaces.
            assert [(r.text, r.count) for r in reception_row.reasons] == [
                ("Väntar på läkarintyg", 2)
            ]
        else:
            assert reception_row.reasons is None
            assert figures.with_reasons is False


def test_extensions_count_in_the_period_they_were_decided(reception: World) -> None:
    deadline = item(
        reception, DeadlineKind.INVESTIGATION, D(2025, 12, 1), D(2026, 4, 1), None, D(2026, 6, 1)
    )
    assert deadline.investigation is not None
    InvestigationExtension.objects.create(
        investigation=deadline.investigation,
        grounds="Inväntar utlåtande från BUP.",
        new_due=D(2026, 6, 1),
        decided_on=D(2026, 3, 25),
        decided_by=reception.people["unit_head"],
        family_informed_on=D(2026, 3, 25),
    )
    assert _figures(reception, MARCH).total.investigation_extensions == 1
    assert _figures(reception, APRIL).total.investigation_extensions == 0
    assert InitialExtension.objects.count() == 0


# --- The page and the downloads ---------------------------------------------------------------


def _mixed(world: World) -> None:
    _spread(world)
    item(world, DeadlineKind.PROTECTIVE, D(2026, 3, 5), D(2026, 3, 5), D(2026, 3, 5))
    item(world, DeadlineKind.PROTECTIVE, D(2026, 3, 6), D(2026, 3, 9), D(2026, 3, 10))
    item(world, DeadlineKind.INVESTIGATION, D(2025, 11, 10), D(2026, 3, 10), D(2026, 3, 9))
    item(world, DeadlineKind.INVESTIGATION, D(2025, 10, 10), D(2026, 2, 10), None)


def _csv_table(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    body = [line for line in lines if line and line[0] != "#"]
    assert any(line[0] == "#" and "I tid" in line[1] for line in lines if line)  # definitions
    return body


def _as_text(cell: object) -> str:
    return "" if cell is None else str(cell).replace(".", ",")


@pytest.mark.parametrize("persona", ["unit_head", "director"])
def test_downloads_hold_the_numbers_on_the_page(reception: World, persona: str) -> None:
    _mixed(reception)
    query = {"period": "2026-03", "niva": GROUP}
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=STOCKHOLM), tick=False):
        client = reception.client(persona)  # logged in on the day, as sessions expire
        page = client.get(reverse("children:figures"), query)
        csv_response = client.get(reverse("children:figures_csv"), query)
        xlsx_response = client.get(reverse("children:figures_xlsx"), query)
    assert page.status_code == csv_response.status_code == xlsx_response.status_code == 200
    expected = table(page.context["figures"])
    assert len(expected) >= 3  # header, at least one group, the total
    total = page.context["figures"].total
    assert (total.protective.on_time, total.protective.late) == (1, 1)
    assert (total.investigation.on_time, total.open_overdue_investigations) == (1, 1)

    assert _csv_table(csv_response.content) == [[_as_text(c) for c in line] for line in expected]
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"

    book = load_workbook(io.BytesIO(xlsx_response.content))
    assert book.sheetnames == ["Nyckeltal", "Trend", "Definitioner"]
    trend_rows = list(book["Trend"].iter_rows(values_only=True))
    assert trend_rows[0] == ("Period", "Skyddsbedömning", "Förhandsbedömning", "Utredning")
    assert trend_rows[1:] == [
        (
            p.period.short_label,
            *(None if v is None else float(v) for v in (p.protective, p.initial, p.investigation)),
        )
        for p in page.context["trend"]
    ]
    assert trend_rows[-1][0] == "2026-03"
    (chart,) = book["Trend"]._charts  # the trend drawn as an Excel line chart
    assert chart.tagname == "lineChart"
    assert len(chart.series) == 3
    rows = [list(r) for r in book["Nyckeltal"].iter_rows(values_only=True)]
    assert rows == [[float(c) if isinstance(c, Decimal) else c for c in line] for line in expected]
    terms = [r[0] for r in book["Definitioner"].iter_rows(values_only=True)]
    assert "I tid" in terms
    assert "Pågående" in terms
    # Counts only: nothing personal, so nothing in the access log.
    assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()


def test_a_download_with_grounds_is_logged_per_extension(reception: World) -> None:
    track = _register_at(reception, RECEIVED)
    actions.extend_initial_assessment(
        track,
        by=reception.people["reception_head"],
        grounds="Barnet på sjukhus.",
        new_due=D(2026, 4, 9),
        decided_on=D(2026, 3, 20),
        now=LATER,
    )
    query = {"period": "2026-K1", "niva": UNIT, "skal": "on"}
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=STOCKHOLM), tick=False):
        response = reception.client("unit_head").get(reverse("children:figures_csv"), query)
        director = reception.client("director").get(reverse("children:figures_csv"), query)
    assert "Barnet på sjukhus." in response.content.decode("utf-8-sig")
    assert "Barnet på sjukhus." not in director.content.decode("utf-8-sig")
    [row] = AccessLog.objects.filter(action=AccessAction.EXPORT)
    assert (row.individual_id, row.object_type, row.unit_id) == (
        track.individual_id,
        "initial_extension",
        reception.unit.pk,
    )
    assert row.actor == reception.people["unit_head"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"period": "2026-K5"}, 400),
        ({"period": "mars"}, 400),
        ({"period": "2026-13"}, 400),
        ({"period": "2026-03", "niva": "hela"}, 400),
        ({"period": "2026-03"}, 200),
        ({}, 200),
    ],
)
def test_a_bad_period_is_refused_with_a_message(
    reception: World, query: dict[str, str], status: int
) -> None:
    response = reception.client("unit_head").get(reverse("children:figures"), query)
    assert response.status_code == status
    if status == 400:
        assert "govuk-error-summary" in response.content.decode()


def test_the_page_explains_every_definition(reception: World) -> None:
    body = reception.client("director").get(reverse("children:figures")).content.decode()
    for term in ["I tid", "Pågående", "Sena", "Förlängda", "Mediantid", "lag (1930:173)"]:
        assert term in body


@pytest.mark.parametrize(("persona", "shown"), [("director", True), ("reception_worker", False)])
def test_the_menu_links_the_figures_for_those_who_may_see_them(
    reception: World, persona: str, shown: bool
) -> None:
    body = reception.client(persona).get(reverse("front:start")).content.decode()
    assert (reverse("children:figures") in body) is shown


# --- Year and trend -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "first", "last", "before"),
    [
        ("2026", D(2026, 1, 1), D(2026, 12, 31), "2025"),
        ("2026-K1", D(2026, 1, 1), D(2026, 3, 31), "2025-K4"),
        ("2026-01", D(2026, 1, 1), D(2026, 1, 31), "2025-12"),
    ],
)
def test_periods_of_each_kind_and_the_one_before(
    code: str, first: dt.date, last: dt.date, before: str
) -> None:
    period = Period.parse(code)
    assert (period.first, period.last) == (first, last)
    assert period.before().code == before
    assert [p.code for p in period.series(2)] == [before, code]


def test_a_whole_year_counts_every_month_of_it(reception: World) -> None:
    item(reception, DeadlineKind.INITIAL, D(2026, 2, 2), D(2026, 2, 16), D(2026, 2, 10))
    item(reception, DeadlineKind.INITIAL, D(2026, 11, 2), D(2026, 11, 16), D(2026, 11, 20))
    total = _figures(reception, Period.year(2026)).total.initial
    assert (total.on_time, total.late) == (1, 1)


def test_the_page_draws_the_trend_as_svg_with_the_numbers_in_a_table(reception: World) -> None:
    item(reception, DeadlineKind.PROTECTIVE, D(2026, 2, 5), D(2026, 2, 5), D(2026, 2, 5))
    item(reception, DeadlineKind.PROTECTIVE, D(2026, 3, 5), D(2026, 3, 5), D(2026, 3, 9))
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=STOCKHOLM), tick=False):
        page = reception.client("director").get(
            reverse("children:figures"), {"period": "2026-03", "niva": UNIT}
        )
    assert page.status_code == 200
    points = {p.period.code: p.protective for p in page.context["trend"]}
    assert list(points) == ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    assert points["2026-02"] == Decimal("100.0")
    assert points["2026-03"] == Decimal("0.0")
    assert points["2026-01"] is None  # nothing counted: no point, not a zero
    html = page.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'role="img" aria-labelledby="trend-rubrik"' in html
    assert "Skyddsbedömning 2026-02: 100,0 %" in html


# --- The trend in one grouped query, equal to the per-period figures ---------------------------

# (kind, received or opened, legal due, done, extended to): on the year boundary, on quarter
# boundaries, an extended one, an open late one and an open ongoing one (TODAY = 2026-06-15).
TREND_ITEMS = [
    (DeadlineKind.PROTECTIVE, D(2025, 12, 31), D(2025, 12, 31), D(2025, 12, 31), None),
    (DeadlineKind.INITIAL, D(2026, 1, 1), D(2026, 1, 15), D(2026, 1, 20), None),
    (DeadlineKind.PROTECTIVE, D(2026, 3, 31), D(2026, 4, 1), D(2026, 4, 1), None),
    (DeadlineKind.INITIAL, D(2026, 4, 1), D(2026, 4, 15), D(2026, 4, 28), D(2026, 5, 1)),
    (DeadlineKind.INITIAL, D(2026, 5, 20), D(2026, 6, 3), None, None),
    (DeadlineKind.INITIAL, D(2026, 6, 10), D(2026, 6, 24), None, None),
    (DeadlineKind.INVESTIGATION, D(2025, 9, 1), D(2026, 1, 1), D(2025, 12, 31), None),
    (DeadlineKind.INVESTIGATION, D(2025, 10, 1), D(2026, 2, 1), D(2026, 3, 31), None),
    (DeadlineKind.INVESTIGATION, D(2026, 1, 10), D(2026, 5, 10), D(2026, 4, 1), None),
    (DeadlineKind.INVESTIGATION, D(2026, 1, 5), D(2026, 5, 5), None, None),
]
KINDS = (DeadlineKind.PROTECTIVE, DeadlineKind.INITIAL, DeadlineKind.INVESTIGATION)


def _counts(found: Compliance) -> tuple[int, int, int, int]:
    return (found.on_time, found.extended, found.late, found.ongoing)


@pytest.mark.parametrize(
    ("persona", "level", "period", "count"),
    [
        ("director", UNIT, Period.quarter(2026, 2), 4),
        ("director", GROUP, Period.month(2026, 6), 8),
        ("director", UNIT, Period.year(2026), 3),
        ("unit_head", GROUP, Period.quarter(2026, 1), 3),
        ("reception_head", GROUP, Period.month(2026, 4), 6),
    ],
)
def test_the_grouped_trend_equals_the_figures_period_by_period(
    reception: World,
    django_assert_num_queries: Any,
    persona: str,
    level: str,
    period: Period,
    count: int,
) -> None:
    for kind, started, legal_due, done, extended_to in TREND_ITEMS:
        item(reception, kind, started, legal_due, done, extended_to)
    scope = _scope(reception, persona)
    periods = period.series(count)
    with django_assert_num_queries(1):
        grouped = trend_counts(scope, periods, level, TODAY)
    for index, each in enumerate(periods):
        total = compute(scope, each, level, TODAY).total
        for kind, expected in zip(
            KINDS, (total.protective, total.initial, total.investigation), strict=True
        ):
            found = grouped.get((index, kind), Compliance())
            assert _counts(found) == _counts(expected), (each.code, kind)
    points = trend(scope, period, level, TODAY, count)
    assert [p.period for p in points] == periods


# The same items by quarter, counted by hand: (on time, extended, late, ongoing).
QUARTERS_BY_HAND = {
    ("2025-K4", DeadlineKind.PROTECTIVE): (1, 0, 0, 0),
    ("2025-K4", DeadlineKind.INVESTIGATION): (1, 0, 0, 0),
    ("2026-K1", DeadlineKind.PROTECTIVE): (1, 0, 0, 0),
    ("2026-K1", DeadlineKind.INITIAL): (0, 0, 1, 0),
    ("2026-K1", DeadlineKind.INVESTIGATION): (0, 0, 1, 0),
    ("2026-K2", DeadlineKind.INITIAL): (0, 1, 1, 1),
    ("2026-K2", DeadlineKind.INVESTIGATION): (1, 0, 0, 0),
}


def test_the_grouped_trend_by_quarter_counted_by_hand(reception: World) -> None:
    for kind, started, legal_due, done, extended_to in TREND_ITEMS:
        item(reception, kind, started, legal_due, done, extended_to)
    periods = Period.quarter(2026, 2).series(3)
    grouped = trend_counts(_scope(reception, "director"), periods, UNIT, TODAY)
    found = {(periods[i].code, kind): _counts(c) for (i, kind), c in grouped.items()}
    assert {k: v for k, v in found.items() if any(v)} == QUARTERS_BY_HAND
