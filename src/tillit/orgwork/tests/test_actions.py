"""The actions: what they record and what they refuse (with nothing saved)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tillit.organisation.models import Group, Membership
from tillit.organisation.roles import Role
from tillit.orgwork import actions, figures
from tillit.orgwork.models import (
    Alternative,
    Assignment,
    AssignmentStatus,
    BoardItem,
    FollowUp,
    ItemStatus,
    Placement,
    ProposedGroup,
    TimeEntry,
)
from tillit.orgwork.tests import factories as f

MONDAY = dt.date(2026, 3, 2)


def _messages(error: ValidationError) -> list[str]:
    return error.messages


# --- Assignments ----------


def test_an_assignment_without_a_requester_is_refused_and_nothing_saved(world):
    with pytest.raises(ValidationError) as error:
        f.assignment(world, requester=None, today=MONDAY)
    assert error.value.message_dict == {"requester": ["Uppdraget måste ha en beställare."]}
    assert not Assignment.objects.exists()


def test_the_acknowledgement_is_due_in_working_days(world):
    made = f.assignment(world, today=dt.date(2026, 4, 2))  # Maundy Thursday
    assert (made.received_on, made.acknowledge_by) == (dt.date(2026, 4, 2), dt.date(2026, 4, 9))


def test_planning_needs_an_owner_a_due_date_and_an_estimate(world):
    made = f.assignment(world, today=MONDAY)
    with pytest.raises(ValidationError) as error:
        actions.plan(
            made,
            owner=world.people["quality_developer"],
            due=None,
            estimate_hours=Decimal("10"),
            by=world.people["quality_developer"],
            today=MONDAY,
        )
    assert error.value.message_dict == {"due": ["Ange när uppdraget ska vara klart."]}
    made.refresh_from_db()
    assert (made.status, made.due) == (AssignmentStatus.RECEIVED, None)


def test_an_assignment_from_receipt_to_acceptance(world):
    quality, head = world.people["quality_developer"], world.people["unit_head"]
    made = f.assignment(world, today=MONDAY)
    actions.acknowledge(made, by=quality, today=MONDAY + dt.timedelta(days=1))
    actions.plan(
        made,
        owner=quality,
        due=dt.date(2026, 4, 30),
        estimate_hours=Decimal("24"),
        by=quality,
        today=MONDAY + dt.timedelta(days=1),
    )
    actions.start(made, by=quality)
    actions.comment(made, text="Behöver ni uppgifter från 2025?", by=quality)
    actions.comment(made, text="Ja, från och med 2024.", by=head)
    actions.deliver(made, note="Rapporten ligger i teamet.", by=quality, today=dt.date(2026, 4, 20))
    with pytest.raises(ValidationError):
        actions.accept(made, by=quality, today=dt.date(2026, 4, 21))
    actions.accept(made, by=head, today=dt.date(2026, 4, 21))
    made.refresh_from_db()
    assert made.status == AssignmentStatus.ACCEPTED
    assert (made.acknowledged_on, made.delivered_on, made.closed_on) == (
        dt.date(2026, 3, 3),
        dt.date(2026, 4, 20),
        dt.date(2026, 4, 21),
    )
    thread = [(e.is_event, e.text[:20]) for e in made.entries.all()]
    assert thread[0] == (True, "Uppdraget togs emot.")
    assert (False, "Ja, från och med 202") in thread
    assert thread[-1] == (True, "Beställaren har godk")


def test_a_step_out_of_order_is_refused(world):
    made = f.assignment(world, today=MONDAY)
    with pytest.raises(ValidationError) as error:
        actions.deliver(made, by=world.people["quality_developer"], today=MONDAY)
    assert _messages(error.value) == ["Uppdraget är mottaget och kan inte ändras så."]


def test_declining_needs_reasons(world):
    made = f.assignment(world, today=MONDAY)
    with pytest.raises(ValidationError):
        actions.decline(made, reason=" ", by=world.people["quality_developer"], today=MONDAY)
    actions.decline(
        made, reason="Hör till ekonomienheten.", by=world.people["quality_developer"], today=MONDAY
    )
    made.refresh_from_db()
    assert (made.status, made.decline_reason) == (
        AssignmentStatus.DECLINED,
        "Hör till ekonomienheten.",
    )


def test_no_black_hole_figures(world):
    quality = world.people["quality_developer"]
    early = f.assignment(world, title="A", today=dt.date(2026, 3, 2))
    late = f.assignment(world, title="B", today=dt.date(2026, 3, 2))
    f.assignment(world, title="C", today=dt.date(2026, 3, 9))
    actions.acknowledge(early, by=quality, today=dt.date(2026, 3, 3))
    actions.acknowledge(late, by=quality, today=dt.date(2026, 3, 10))
    actions.plan(
        late,
        owner=quality,
        due=dt.date(2026, 4, 1),
        estimate_hours=Decimal(8),
        by=quality,
        today=dt.date(2026, 3, 10),
    )
    found = figures.black_hole(Assignment.objects.all(), dt.date(2026, 3, 20))
    assert (found.acknowledged, found.in_time, found.share_in_time) == (2, 1, "50 %")
    assert found.oldest_unacknowledged.title == "C"
    assert found.overdue_unacknowledged == 1
    assert dict(found.open_per_owner) == {"Ingen ansvarig ännu": 2, "Quality Testsson": 1}


# --- Time ----------


def test_time_in_a_locked_month_is_refused_and_nothing_saved(world):
    task = f.task(world)
    with pytest.raises(ValidationError) as error:
        actions.report_time(
            user=world.people["quality_developer"],
            week=dt.date(2026, 2, 23),  # 23 Feb – 1 Mar: Sunday 1 March, still open in March
            hours=Decimal("4"),
            task=task,
            by=world.people["quality_developer"],
            today=dt.date(2026, 4, 1),
        )
    assert error.value.message_dict["week"] == [
        "Tiden för vecka 9 hör till 2026-03, som är avslutad och låst. "
        "Tid kan inte rapporteras eller ändras efter att månaden har slutat."
    ]
    assert not TimeEntry.objects.exists()


def test_time_is_reported_per_week_and_replaced(world):
    quality = world.people["quality_developer"]
    task = f.task(world)
    for hours in ("4", "6,5"):
        actions.report_time(
            user=quality,
            week=dt.date(2026, 3, 5),
            hours=Decimal(hours.replace(",", ".")),
            task=task,
            by=quality,
            today=dt.date(2026, 3, 6),
        )
    entry = TimeEntry.objects.get()
    assert (entry.week, entry.hours, entry.unit) == (MONDAY, Decimal("6.5"), world.unit)
    with pytest.raises(ValidationError):
        actions.remove_time(entry, by=quality, today=dt.date(2026, 4, 1))
    actions.remove_time(entry, by=quality, today=dt.date(2026, 3, 31))
    assert not TimeEntry.objects.exists()


def test_time_for_a_coming_week_is_refused(world):
    with pytest.raises(ValidationError):
        actions.report_time(
            user=world.people["quality_developer"],
            week=dt.date(2026, 3, 9),
            hours=Decimal("1"),
            task=f.task(world),
            by=world.people["quality_developer"],
            today=dt.date(2026, 3, 6),
        )


def test_time_reports_by_task_unit_and_requester(world):
    quality = world.people["quality_developer"]
    task = f.task(world)
    made = f.assignment(world, today=MONDAY, task=task)
    actions.plan(
        made,
        owner=quality,
        due=dt.date(2026, 4, 1),
        estimate_hours=Decimal(8),
        by=quality,
        today=MONDAY,
    )
    for target in ({"task": task}, {"assignment": made}):
        actions.report_time(
            user=quality, week=MONDAY, hours=Decimal(3), by=quality, today=MONDAY, **target
        )
    assert figures.time_rows(2026, "uppgift") == [("Lex Sarah-utredningar", Decimal(6))]
    assert figures.time_rows(2026, "enhet") == [("Barn och familj", Decimal(6))]
    assert dict(figures.time_rows(2026, "bestallare")) == {
        "Unit Testsson": Decimal(3),
        "Katalogens uppgifter (ingen beställare)": Decimal(3),
    }
    actions.set_year_plan(unit=world.unit, year=2026, capacity_hours=Decimal(5), by=quality)
    row = next(
        r for r in figures.plan_rows(2026, world.unit.process.units.all()) if r.unit == world.unit
    )
    assert (row.capacity, row.committed, row.reported, row.over) == (5, 8, 6, True)


# --- The catalogue ----------


def test_flags_for_tasks_without_owner_or_backup(world):
    quality, director = world.people["quality_developer"], world.people["director"]
    f.task(world, "Insatsbanken")
    f.task(world, "Utförardialog", owners=[quality])
    f.task(world, "Öppna jämförelser", owners=[quality], backups=[director])
    f.task(world, "Statistik", owners=[quality, director])
    flags = {r.task.name: r.flags for r in figures.catalogue(world.unit.process, 2026)}
    assert flags == {
        "Insatsbanken": ["Ingen ansvarig"],
        "Utförardialog": ["Ensam ansvarig utan backup"],
        "Öppna jämförelser": [],
        "Statistik": [],
    }


def test_one_cannot_be_ones_own_backup(world):
    quality = world.people["quality_developer"]
    with pytest.raises(ValidationError):
        f.task(world, owners=[quality], backups=[quality])


# --- Alternatives ----------


def test_an_alternative_leaving_a_task_unplaced_is_refused(world):
    first, second = f.task(world, "Lex Sarah"), f.task(world, "Kundval")
    with pytest.raises(ValidationError) as error:
        actions.create_alternative(
            process=world.unit.process,
            name="Tredje alternativet",
            places={first.pk: Placement.LOCAL},
            by=world.people["director"],
        )
    assert error.value.messages == [
        "Alternativet ”Tredje alternativet” lämnar uppgifter utan placering: Kundval."
    ]
    assert not Alternative.objects.exists()
    assert second.placements.count() == 0


def test_adopting_changes_groups_and_memberships_and_plans_follow_ups(world):
    f.task(world)
    proposed = f.alternative(world, "Primärt förslag", is_proposed=True)
    group = ProposedGroup.objects.create(
        alternative=proposed,
        unit=world.unit,
        name="Kvalitet och utveckling",
        staff=4,
        place=Placement.LOCAL,
    )
    group.members.add(world.people["quality_developer"])
    actions.adopt_alternative(
        proposed,
        effective_on=dt.date(2026, 5, 1),
        by=world.people["director"],
        today=dt.date(2026, 4, 15),
    )
    made = Group.objects.get(unit=world.unit, name="Kvalitet och utveckling")
    memberships = Membership.objects.filter(
        user=world.people["quality_developer"], role=Role.QUALITY_DEVELOPER
    ).order_by("valid_from")
    assert [(m.group, m.valid_to) for m in memberships] == [
        (None, dt.date(2026, 4, 30)),
        (made, None),
    ]
    assert list(FollowUp.objects.values_list("months", "due")) == [
        (6, dt.date(2026, 11, 1)),
        (12, dt.date(2027, 5, 1)),
    ]
    other = f.alternative(world, "Första alternativet")
    with pytest.raises(ValidationError):
        actions.adopt_alternative(
            other,
            effective_on=dt.date(2026, 5, 1),
            by=world.people["director"],
            today=dt.date(2026, 4, 15),
        )


def test_a_follow_up_needs_every_answer(world):
    f.task(world)
    alternative = f.alternative(world, "Primärt förslag")
    follow_up = FollowUp.objects.create(alternative=alternative, months=6, due=dt.date(2026, 11, 1))
    with pytest.raises(ValidationError) as error:
        actions.complete_follow_up(
            follow_up, answers={}, findings="", actions="", by=world.people["director"]
        )
    assert "findings" in error.value.message_dict
    answers = {code: {"answer": "delvis", "comment": ""} for code, _q in actions.CHECKLIST}
    actions.complete_follow_up(
        follow_up,
        answers=answers,
        findings="Överlämningarna till enheterna är oklara.",
        actions="Beskriv överlämningspunkterna.",
        by=world.people["director"],
        today=dt.date(2026, 11, 2),
    )
    follow_up.refresh_from_db()
    assert follow_up.done_on == dt.date(2026, 11, 2)


# --- Boards ----------


def _meeting(world, day):
    return actions.plan_meeting(
        board=f.board(world),
        date=day,
        by=world.people["board_secretary"],
        today=dt.date(2026, 1, 1),
    )


def test_item_deadlines_are_counted_back_from_the_meeting(world):
    meeting = _meeting(world, dt.date(2026, 4, 7))  # the Tuesday after Easter
    item = actions.add_item(
        meeting=meeting,
        kind="tjansteskrivelse",
        title="Riktlinjer för bistånd",
        by=world.people["board_secretary"],
        today=dt.date(2026, 1, 1),
    )
    # 15 and 8 working days before, over Good Friday and Easter Monday.
    assert (item.memo_due, item.chair_due) == (dt.date(2026, 3, 13), dt.date(2026, 3, 24))


def test_a_consultation_answer_due_before_its_meeting_is_refused(world):
    meeting = _meeting(world, dt.date(2026, 4, 7))
    with pytest.raises(ValidationError) as error:
        actions.add_item(
            meeting=meeting,
            kind="remissvar",
            title="Remiss om ny socialtjänstlag",
            answer_by=dt.date(2026, 4, 6),
            by=world.people["board_secretary"],
            today=dt.date(2026, 1, 1),
        )
    assert error.value.message_dict["answer_by"] == [
        "Remissvaret ska lämnas senast 2026-04-06, före sammanträdet 2026-04-07: "
        "välj ett tidigare sammanträde."
    ]
    assert not BoardItem.objects.exists()


def test_an_item_goes_from_planned_to_minutes_extract(world):
    secretary, director = world.people["board_secretary"], world.people["director"]
    meeting = _meeting(world, dt.date(2026, 3, 26))
    item = actions.add_item(
        meeting=meeting,
        kind="aterrapportering",
        report_back="handlingsplan",
        title="Handlingsplan",
        by=secretary,
        today=dt.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError):
        actions.advance_item(item, to=ItemStatus.SENT, by=secretary)
    for to in (ItemStatus.WRITING, ItemStatus.REVIEWED, ItemStatus.SENT):
        actions.advance_item(item, to=to, by=director if to == ItemStatus.REVIEWED else secretary)
    with pytest.raises(ValidationError):
        actions.decide_item(item, decision="Godkänns.", by=secretary, today=dt.date(2026, 3, 25))
    decided = actions.decide_item(
        item,
        decision="Nämnden godkänner handlingsplanen.",
        decided_object=meeting,
        by=secretary,
        today=dt.date(2026, 3, 26),
    )
    assert decided.decision_reference == "Socialnämnden 2026-03-26 § 1"
    assert decided.subject == meeting
    actions.record_extract(item, extract="Utdrag", by=secretary)
    item.refresh_from_db()
    assert item.status == ItemStatus.EXTRACT


def test_assignment_deadlines_and_changes_are_kept_in_the_generic_rows(world):
    from tillit.changelog.log import changes_for
    from tillit.deadlines.due import open_items_for
    from tillit.deadlines.due_models import DueItem

    quality = world.people["quality_developer"]
    made = f.assignment(world, today=MONDAY)
    acknowledge = DueItem.objects.get(kind="orgwork.assignment.acknowledge")
    assert (acknowledge.due, acknowledge.unit, acknowledge.completed_on) == (
        dt.date(2026, 3, 5),
        world.unit,
        None,
    )
    # The receiving unit's head sees it among their open deadlines.
    assert acknowledge in open_items_for(world.people["unit_head"], MONDAY)
    actions.plan(
        made,
        owner=quality,
        due=dt.date(2026, 4, 30),
        estimate_hours=Decimal("8"),
        by=quality,
        today=dt.date(2026, 3, 6),
    )
    acknowledge.refresh_from_db()
    assert acknowledge.completed_on == dt.date(2026, 3, 6)  # a day late
    deliver = DueItem.objects.get(kind="orgwork.assignment.deliver")
    assert (deliver.holder, deliver.due) == (quality, dt.date(2026, 4, 30))
    assert list(open_items_for(quality, dt.date(2026, 3, 6))) == [deliver]
    assert [c.event for c in changes_for(made)] == [
        "orgwork.assignment.planerat",
        "orgwork.assignment.received",
    ]


def test_a_board_item_put_on_the_agenda_late_is_behind_at_once(world):
    from tillit.deadlines.due import light_of
    from tillit.deadlines.due_models import DueItem
    from tillit.deadlines.engine import Light

    meeting = _meeting(world, dt.date(2026, 3, 26))
    actions.add_item(
        meeting=meeting,
        kind="motion",
        title="Motion om fler familjehem",
        by=world.people["board_secretary"],
        today=dt.date(2026, 3, 20),
    )
    memo = DueItem.objects.get(kind="orgwork.board_item.memo")
    assert memo.due == dt.date(2026, 3, 5)
    assert light_of(memo, dt.date(2026, 3, 20)) == Light.RED
