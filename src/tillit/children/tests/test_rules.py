"""The rules the registration action, the import and the demo share (children/rules.py)."""

import datetime as dt

import pytest

from tillit.children.rules import (
    ClosedInvestigation,
    is_about_violence,
    quick_reopening,
    reporter_identity,
)

D = dt.date


def test_an_anonymous_report_keeps_nothing_of_the_reporter():
    assert reporter_identity(
        anonymous=True, name="Anna", organisation="Skolan", phone="08-1", email="a@b", withhold=True
    ) == {
        "anonymous": True,
        "reporter_name": "",
        "reporter_organisation": "",
        "reporter_phone": "",
        "reporter_email": "",
        "withhold_reporter": False,
    }


def test_a_named_report_keeps_the_reporter_trimmed():
    found = reporter_identity(anonymous=False, name=" Anna ", phone=" 08-1 ", withhold=True)
    assert found["reporter_name"] == "Anna"
    assert found["reporter_phone"] == "08-1"
    assert found["withhold_reporter"] is True


def test_about_violence_follows_the_violence_concerns():
    from tillit.children.models.reports import VIOLENCE_CONCERNS, ConcernCategory

    for code in ConcernCategory.values:
        assert is_about_violence([code]) is (code in VIOLENCE_CONCERNS)
    assert is_about_violence([]) is False
    assert VIOLENCE_CONCERNS, "at least one concern is about violence"


# A new investigation opened on 2 March 2026; margin 7 days; window 30 days (30 Jan – 2 Mar).
@pytest.mark.parametrize(
    ("closed", "expected"),
    [
        ([], None),
        # Closed on its limit, 10 days before: flagged.
        ([ClosedInvestigation(1, D(2026, 2, 20), D(2026, 2, 20))], 1),
        # Closed 7 days before its limit (the margin's edge): flagged; 8 days before: not.
        ([ClosedInvestigation(1, D(2026, 2, 13), D(2026, 2, 20))], 1),
        ([ClosedInvestigation(1, D(2026, 2, 12), D(2026, 2, 20))], None),
        # Closed 30 days before (window's edge): flagged; 31 days: not.
        ([ClosedInvestigation(1, D(2026, 1, 31), D(2026, 1, 31))], 1),
        ([ClosedInvestigation(1, D(2026, 1, 30), D(2026, 1, 30))], None),
        # Closed the same day the new one opens: flagged; after it: not.
        ([ClosedInvestigation(1, D(2026, 3, 2), D(2026, 3, 1))], 1),
        ([ClosedInvestigation(1, D(2026, 3, 3), D(2026, 3, 1))], None),
        # The latest qualifying one; on a tie of days, the later-created.
        (
            [
                ClosedInvestigation(1, D(2026, 2, 10), D(2026, 2, 10)),
                ClosedInvestigation(2, D(2026, 2, 25), D(2026, 2, 25)),
                ClosedInvestigation(3, D(2026, 2, 20), D(2026, 2, 20)),
            ],
            2,
        ),
        (
            [
                ClosedInvestigation(4, D(2026, 2, 25), D(2026, 2, 25)),
                ClosedInvestigation(9, D(2026, 2, 25), D(2026, 2, 25)),
            ],
            9,
        ),
    ],
)
def test_quick_reopening(closed, expected):
    assert quick_reopening(D(2026, 3, 2), closed, margin_days=7) == expected
