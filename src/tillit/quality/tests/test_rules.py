"""The quality rules, table-driven: sampling, the release rule, the verification rule, periods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tillit.quality import rules
from tillit.quality.checks import draw_sample, share
from tillit.quality.models import MeasureStatus

D = dt.date
P = Decimal

# --- Sampling: the same seed and population give the same sample, pinned ---------------------

POPULATION = list(range(100, 140))

SAMPLES = [
    # (population, size, seed, expected sample)
    (POPULATION, 5, 1, None),
    (POPULATION, 5, 2, None),
    (POPULATION, 40, 99, POPULATION),
    ([7], 1, 12345, [7]),
]


@pytest.mark.parametrize(("population", "size", "seed", "expected"), SAMPLES)
def test_same_seed_same_sample(population, size, seed, expected):
    first = draw_sample(population, size, seed)
    # The order the ids came in does not matter, nor does drawing again.
    assert draw_sample(list(reversed(population)), size, seed) == first
    assert draw_sample(population, size, seed) == first
    assert len(first) == size == len(set(first))
    assert set(first) <= set(population)
    if expected is not None:
        assert first == expected


def test_the_sample_is_pinned():
    """The algorithm itself is stored with the seed: a change here would redraw old runs."""
    assert draw_sample(POPULATION, 5, 1) == [104, 107, 108, 116, 136]
    assert draw_sample(POPULATION, 5, 2) == [103, 105, 110, 119, 123]


def test_another_seed_gives_another_sample():
    assert draw_sample(POPULATION, 5, 1) != draw_sample(POPULATION, 5, 2)


@pytest.mark.parametrize(
    ("population", "size", "message"),
    [
        ([1, 2, 3], 4, "större än populationen (3 poster)"),
        ([], 1, "större än populationen (0 poster)"),
        ([1, 2, 3], 0, "minst en post"),
    ],
)
def test_a_sample_larger_than_its_population_is_refused(population, size, message):
    with pytest.raises(ValidationError) as refused:
        draw_sample(population, size, 1)
    assert message in refused.value.message_dict["sample_size"][0]


# --- Share --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("passed", "counted", "expected"),
    [(0, 0, None), (1, 3, P("33.3")), (2, 3, P("66.7")), (9, 10, P("90.0")), (1, 8, P("12.5"))],
)
def test_share_rounds_half_up_to_one_decimal(passed, counted, expected):
    assert share(passed, counted) == expected


# --- The release rule -------------------------------------------------------------------------

RELEASE = [
    # (shares oldest first, target, N, may release)
    ([], P(90), 2, False),
    ([P(95)], P(90), 2, False),
    ([P(95), P(92)], P(90), 2, True),
    ([P(90), P(90)], P(90), 2, True),  # exactly the target is met
    ([P(95), P("89.9")], P(90), 2, False),
    ([P(80), P(95), P(96)], P(90), 2, True),  # only the last N count
    ([P(95), P(96), P(80)], P(90), 2, False),
    ([P(95), None], P(90), 2, False),  # a run with nothing counted breaks the series
    ([P(95), P(96)], P(90), 3, False),
    ([P(91), P(95), P(96)], P(90), 3, True),
    ([P(95)], P(90), 1, True),
]


@pytest.mark.parametrize(("shares", "target", "n", "expected"), RELEASE)
def test_release_rule(shares, target, n, expected):
    assert rules.target_met_in_a_row(shares, target, n) is expected


@pytest.mark.parametrize(
    ("released", "share_", "target", "expected"),
    [
        (True, P(85), P(90), True),
        (True, P(90), P(90), False),
        (True, None, P(90), False),
        (False, P(50), P(90), False),
    ],
)
def test_a_later_result_under_target_flags_a_released_plan(released, share_, target, expected):
    assert rules.flags_again(released, share_, target) is expected


# --- The verification rule ---------------------------------------------------------------------

VERIFY = [
    # (owner, verifier, status, evidence, run met target, refused fields)
    (1, 2, MeasureStatus.DONE, "Ny rutin följs", None, set()),
    (1, 2, MeasureStatus.DONE, "", True, set()),
    (1, 1, MeasureStatus.DONE, "Ny rutin följs", None, {"__all__"}),
    (1, 2, MeasureStatus.IN_PROGRESS, "x", None, {"__all__"}),
    (1, 2, MeasureStatus.PLANNED, "x", None, {"__all__"}),
    (1, 2, MeasureStatus.VERIFIED, "x", None, {"__all__"}),
    (1, 2, MeasureStatus.DONE, "  ", None, {"evidence"}),
    (1, 2, MeasureStatus.DONE, "x", False, {"evidence_run"}),
    (1, 1, MeasureStatus.DONE, "", None, {"__all__", "evidence"}),
]


@pytest.mark.parametrize(("owner", "verifier", "status", "evidence", "met", "refused"), VERIFY)
def test_verification_rule(owner, verifier, status, evidence, met, refused):
    problems = rules.verification_problems(
        owner_id=owner, verifier_id=verifier, status=status, evidence=evidence, run_met_target=met
    )
    assert set(problems) == refused


def test_the_owner_is_told_why():
    problems = rules.verification_problems(
        owner_id=1, verifier_id=1, status=MeasureStatus.DONE, evidence="x", run_met_target=None
    )
    assert "någon annan än den som är ansvarig" in problems["__all__"]


# --- Periods ------------------------------------------------------------------------------------

PERIODS = [
    (D(2026, 2, 14), 3, (D(2026, 1, 1), D(2026, 3, 31))),
    (D(2026, 12, 31), 3, (D(2026, 10, 1), D(2026, 12, 31))),
    (D(2026, 2, 14), 1, (D(2026, 2, 1), D(2026, 2, 28))),
    (D(2024, 2, 14), 1, (D(2024, 2, 1), D(2024, 2, 29))),
    (D(2026, 7, 1), 6, (D(2026, 7, 1), D(2026, 12, 31))),
    (D(2026, 7, 1), 12, (D(2026, 1, 1), D(2026, 12, 31))),
    (D(2026, 5, 31), 4, (D(2026, 5, 1), D(2026, 8, 31))),
]


@pytest.mark.parametrize(("day", "months", "expected"), PERIODS)
def test_period_containing(day, months, expected):
    assert rules.period_containing(day, months) == expected


@pytest.mark.parametrize(
    ("last", "months", "expected"),
    [
        (D(2026, 3, 31), 3, (D(2026, 4, 1), D(2026, 6, 30))),
        (D(2026, 12, 31), 3, (D(2027, 1, 1), D(2027, 3, 31))),
        (D(2026, 1, 31), 1, (D(2026, 2, 1), D(2026, 2, 28))),
    ],
)
def test_next_period(last, months, expected):
    assert rules.next_period(last, months) == expected


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 12, 31), D(2027, 1, 31)),
        (D(2026, 1, 31), D(2026, 2, 28)),
    ],
)
def test_a_run_is_due_a_month_after_its_period(last, due):
    assert rules.run_due(last) == due
