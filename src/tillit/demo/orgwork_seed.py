"""Demo data for organising the quality work (issue 16), from the consultant's review.

The review's task list in its four groups, placed under the proposed organisation and the three
alternatives weighed against it (the proposed one adopted seven months ago, its 6-month
follow-up done and the 12-month one due), a year of assignments with the time reported on them
and on the catalogue's tasks, and the two boards' meetings with their items. Every change goes
through tillit.orgwork.actions, dated as it would have happened.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tillit.accounts.models import User
from tillit.deadlines.calendar import add_months, is_working_day, working_days_before
from tillit.organisation.models import Board, Membership, Municipality, Process, Unit
from tillit.organisation.roles import Role
from tillit.orgwork import actions
from tillit.orgwork.models import (
    Alternative,
    Assignment,
    AssignmentKind,
    BoardItem,
    ItemKind,
    ItemStatus,
    Placement,
    ProposedGroup,
    ReportBack,
    Task,
    TaskArea,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
L, D, C = Placement.LOCAL, Placement.DIRECTOR, Placement.COORDINATED

# (area, name, competence, place in the proposed organisation). From the review's list of the
# social quality unit's tasks, in its four groups.
TASKS = [
    (TaskArea.AUTHORITY, "Riktlinjer – översyner och framtagande", "Juridik, socialt arbete", L),
    (TaskArea.AUTHORITY, "Ledningssystem för kvalitet", "Kvalitetsledning", L),
    (TaskArea.AUTHORITY, "Rättssäkerhetsgranskningar", "Juridik, granskning", L),
    (
        TaskArea.AUTHORITY,
        "Förvaltning och utveckling av verksamhetssystemet",
        "Systemförvaltning",
        D,
    ),
    (TaskArea.AUTHORITY, "Målgruppsanalyser", "Analys, statistik", L),
    (TaskArea.AUTHORITY, "Samordnare ANDT", "Folkhälsa, ANDT", L),
    (TaskArea.AUTHORITY, "Samordnare våld i nära relation", "Våld i nära relation", L),
    (TaskArea.AUTHORITY, "Boendesamordning och planering", "Boendeplanering", C),
    (TaskArea.AUTHORITY, "Välfärdsteknikutveckling", "Projektledning, teknik", L),
    (TaskArea.PROVIDERS, "Upphandling och avtalsansvar", "Upphandling, avtal", L),
    (TaskArea.PROVIDERS, "Kundval – ansökningar, avtalsuppföljning, översyn", "Kundval, avtal", L),
    (TaskArea.PROVIDERS, "Utförardialog och stöd till utförare", "Uppföljning, dialog", L),
    (TaskArea.PROVIDERS, "Verksamhets-, förenings- och statsbidrag", "Bidragshandläggning", C),
    (TaskArea.PROVIDERS, "Utveckling av tidiga insatser", "Metodutveckling", L),
    (TaskArea.PROVIDERS, "Insatsbanken", "Insatser, metodkunskap", L),
    (TaskArea.FOLLOW_UP, "Verksamhetsuppföljning och granskning av anordnare", "Uppföljning", L),
    (TaskArea.FOLLOW_UP, "HSL-uppföljning (MAS/MAR)", "Legitimerad sjuksköterska/MAS", L),
    (TaskArea.FOLLOW_UP, "Brukarundersökningar", "Enkätmetodik", L),
    (TaskArea.FOLLOW_UP, "Öppna jämförelser", "Statistik", L),
    (TaskArea.FOLLOW_UP, "Årlig statistikinsamling", "Statistik", L),
    (TaskArea.FOLLOW_UP, "Synpunkts- och klagomålshantering", "Kvalitetsledning", L),
    (TaskArea.FOLLOW_UP, "Lex Sarah-utredningar", "Utredning, juridik", C),
    (TaskArea.OTHER, "Mål- och budgetarbete", "Ekonomi, verksamhetsplanering", L),
    (TaskArea.OTHER, "Utredningsuppdrag och genomlysningar", "Utredning", D),
    (TaskArea.OTHER, "Rekvirera bidrag och projektmedel", "Bidragshandläggning", C),
    (TaskArea.OTHER, "Samordna nämndarbetet", "Nämndadministration", D),
    (TaskArea.OTHER, "Remissvar och motioner", "Utredning, skrivande", L),
    (TaskArea.OTHER, "Framtagande och analys av statistik", "Statistik, analys", L),
    (TaskArea.OTHER, "Samordna kommunikationsfrågor", "Kommunikation", D),
    (TaskArea.OTHER, "Jämföraren", "Statistik", L),
    (TaskArea.OTHER, "Omvärldsanalys inom respektive område", "Analys", L),
    (TaskArea.OTHER, "Stöd till enheterna i evidensbaserad praktik", "Metodansvar, EBP", D),
]
# The review found nobody responsible for these (so they were not done at all).
NO_OWNER = {"Insatsbanken", "Utförardialog och stöd till utförare"}
KUNDVAL = "Kundval – ansökningar, avtalsuppföljning, översyn"
PROCUREMENT = "Upphandling och avtalsansvar"
LEGAL_REVIEW = "Rättssäkerhetsgranskningar"
MANAGEMENT_SYSTEM = "Ledningssystem för kvalitet"
ANDT = "Samordnare ANDT"
VIOLENCE = "Samordnare våld i nära relation"
WELFARE_TECH = "Välfärdsteknikutveckling"
BOARD_WORK = "Samordna nämndarbetet"
CONSULTATIONS = "Remissvar och motioner"

FIRST = {
    KUNDVAL: D,
    PROCUREMENT: D,
    LEGAL_REVIEW: D,
    MANAGEMENT_SYSTEM: D,
    ANDT: D,
    VIOLENCE: D,
    WELFARE_TECH: D,
    BOARD_WORK: C,
}
ALTERNATIVES: list[dict[str, Any]] = [
    {
        "name": "Primärt förslag – flertalet uppgifter decentraliseras",
        "is_proposed": True,
        "overrides": {},
        "groups": [("Äldreenheten", 4, 1), ("Barn och familj", 7, 1), (None, 4, 1)],
        "pros": (
            "Enhetscheferna kan ta ett helhetsgrepp och prioritera kvalitets- och "
            "utvecklingsresurserna. Jämn och hög kvalitet genom en stark ledningsgrupp med "
            "stöd av en kvalitets- och samordningsgrupp. Tydligare roller och ansvar."
        ),
        "cons": (
            "Risk för nya stuprör i tvärgående frågor (avtal, kundval, metoder). Ökad sårbarhet "
            "när medarbetarna delas i mindre grupper; kompetensdelningen försvåras."
        ),
        "rejection": "",
    },
    {
        "name": "Första alternativet – en relativt stor grupp centralt",
        "is_proposed": False,
        "overrides": FIRST,
        "groups": [("Äldreenheten", 3, 1), ("Barn och familj", 5, 1), (None, 8, 1)],
        "pros": "Funktioner som inte direkt hör till enheternas uppdrag hålls ihop centralt.",
        "cons": "Direktörens grupp blir stor med uppgifter utanför direktörens uppdrag.",
        "rejection": (
            "Direktörens grupp blir relativt stor; samordningen av nämndarbetet behöver ligga "
            "nära direktören; samordnarna för ANDT och våld i nära relation gör också annat "
            "kvalitetsarbete som enheterna behöver."
        ),
    },
    {
        "name": "Andra alternativet – ännu fler resurser centralt",
        "is_proposed": False,
        "overrides": {
            **FIRST,
            CONSULTATIONS: D,
            "Utveckling av tidiga insatser": D,
        },
        "groups": [("Äldreenheten", 2, 1), ("Barn och familj", 3, 1), (None, 11, 2)],
        "pros": (
            "Enhetscheferna kan avropa stöd efter behov; metodutvecklingen hålls ihop när "
            "resurserna stöder varandra."
        ),
        "cons": "Rollerna mellan direktör och enhetschef blir otydligare.",
        "rejection": (
            "Gruppen blir stor; dagens intressekonflikter om resurserna löses inte; "
            "enhetscheferna kan inte bemanna utvecklingsinitiativ efter egna prioriteringar."
        ),
    },
    {
        "name": "Tredje alternativet – fler uppgifter decentraliseras",
        "is_proposed": False,
        "overrides": {ANDT: C, VIOLENCE: C, KUNDVAL: D, PROCUREMENT: D, LEGAL_REVIEW: D},
        "groups": [("Äldreenheten", 4, 1), ("Barn och familj", 7, 1), (None, 3, 1)],
        "pros": (
            "ANDT, folkhälsa och våld i nära relation kommer även skola och andra verksamheter "
            "till godo; oberoende rättssäkerhetsgranskningar; samordnad kundvalsexpertis."
        ),
        "cons": "Det finns ingen mottagande organisation centralt för ANDT och våld.",
        "rejection": (
            "Ingen mottagande organisation centralt; rättssäkerhetsgranskningar kan göras "
            "lokalt där enheterna granskar varandra; kundvalskunskap behövs nära enheterna."
        ),
    },
]
GROUP_NAME = {
    "Äldreenheten": "Kvalitet och utveckling",
    "Barn och familj": "Kvalitet och utveckling BoF/OE",
    None: "Kvalitets- och samordningsgrupp",
}

ASSIGNMENT_TITLES = {
    AssignmentKind.REVIEW: [
        "Granskning av utredningstider",
        "Rättssäkerhetsgranskning av journaler",
        "Granskning av familjehemsutredningar",
    ],
    AssignmentKind.INVESTIGATION: [
        "Genomlysning av placeringskostnader",
        "Utredning av köer till boendestöd",
        "Översyn av riktlinjer för ekonomiskt bistånd",
    ],
    AssignmentKind.STATEMENT: ["Yttrande till IVO", "Yttrande över medborgarförslag"],
    AssignmentKind.STATISTICS: [
        "Statistik till tertialrapporten",
        "Underlag till Öppna jämförelser",
        "Nyckeltal för orosanmälningar",
    ],
    AssignmentKind.TRAINING: ["Utbildning i dokumentation", "Introduktion av BBIC för nyanställda"],
    AssignmentKind.OTHER: ["Stöd i verksamhetsplaneringen", "Underlag till brukarundersökningen"],
}

BOARD_ITEMS = [
    (ItemKind.MEMO, "", "Riktlinjer för bistånd enligt socialtjänstlagen"),
    (ItemKind.CONSULTATION, "", "Remiss: ny socialtjänstlag"),
    (ItemKind.MOTION, "", "Motion om fler familjehem"),
    (ItemKind.REPORT_BACK, ReportBack.ACTION_PLAN, "Handlingsplan för kvalitetsarbetet"),
    (ItemKind.REPORT_BACK, ReportBack.COMPLIANCE, "Nyckeltal för utredningstider"),
    (ItemKind.REPORT_BACK, ReportBack.LEX_SARAH, "Lex Sarah-rapporter, sammanställning"),
    (ItemKind.REPORT_BACK, ReportBack.PROVIDER_FOLLOW_UP, "Uppföljning av anordnare i kundval"),
    (ItemKind.CHAIR_DECISION, "", "Återkallelse av auktorisation, beslutat av ordföranden"),
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=STOCKHOLM)


def previous_or_today(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _working(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


class OrgworkSeeder:
    def __init__(self, *, today: dt.date, municipality: Municipality, seed: int) -> None:
        self.today = today
        self.municipality = municipality
        self.rng = random.Random(seed + 16)
        self.process = Process.objects.get(municipality=municipality, name="Social omsorg")
        director = self.process.owner
        if director is None:
            raise RuntimeError("The demo's process has no owner.")
        self.director: User = director
        self.units = {u.name: u for u in Unit.objects.filter(process=self.process)}
        self.quality_unit = self.units["Sociala kvalitetsenheten"]
        on = today
        quality = Membership.objects.active(on).filter(role=Role.QUALITY_DEVELOPER)
        self.staff = list(
            User.objects.filter(pk__in=quality.values("user")).order_by("pk").distinct()
        )
        self.ske_staff = list(
            User.objects.filter(pk__in=quality.filter(unit=self.quality_unit).values("user"))
            .order_by("pk")
            .distinct()
        )
        heads = Membership.objects.active(on).filter(role__in=[Role.UNIT_HEAD, Role.GROUP_HEAD])
        self.requesters = [
            (m.user, m.unit)
            for m in heads.select_related("user", "unit").order_by("pk")
            if m.unit_id != self.quality_unit.pk
        ]
        self.secretary = (
            Membership.objects.active(on).filter(role=Role.BOARD_SECRETARY).first().user  # type: ignore[union-attr]
        )

    def run(self) -> None:
        tasks = self.catalogue()
        adopted = self.alternatives(tasks)
        self.follow_ups(adopted)
        assignments = self.assignments(tasks)
        self.task_time(tasks)
        self.plans()
        self.boards(assignments)

    # --- The catalogue and alternatives ---------------------------------------------------

    def catalogue(self) -> list[Task]:
        made = []
        for index, (area, name, competence, _place) in enumerate(TASKS):
            owners: list[User] = []
            backups: list[User] = []
            if name not in NO_OWNER:
                owners = [self.staff[index % len(self.staff)]]
                if index % 3 == 0:
                    owners.append(self.staff[(index + 4) % len(self.staff)])
                elif index % 3 == 1:
                    backups = [self.staff[(index + 2) % len(self.staff)]]
                # index % 3 == 2: one holder, no backup (the review's vulnerable competences)
            task = actions.save_task(
                None,
                process=self.process,
                area=area,
                name=name,
                competence=competence,
                description="",
                owners=owners,
                backups=[b for b in backups if b not in owners],
                by=self.director,
            )
            Task.objects.filter(pk=task.pk).update(position=index)
            made.append(task)
        return made

    def alternatives(self, tasks: list[Task]) -> Alternative:
        by_name = {t.name: t for t in tasks}
        base = {name: place for _area, name, _c, place in TASKS}
        adopted = None
        for position, spec in enumerate(ALTERNATIVES):
            places = {**base, **spec["overrides"]}
            alternative = actions.create_alternative(
                process=self.process,
                name=str(spec["name"]),
                places={by_name[name].pk: place for name, place in places.items()},
                is_proposed=bool(spec["is_proposed"]),
                pros=str(spec["pros"]),
                cons=str(spec["cons"]),
                rejection_reason=str(spec["rejection"]),
                position=position,
                by=self.director,
            )
            for unit_name, staff, managers in spec["groups"]:
                unit = self.units[unit_name] if unit_name else self.quality_unit
                ProposedGroup.objects.create(
                    alternative=alternative,
                    unit=unit,
                    name=GROUP_NAME[unit_name],
                    place=L if unit_name else D,
                    staff=staff,
                    managers=managers,
                )
            if spec["is_proposed"]:
                adopted = alternative
        if adopted is None:
            raise RuntimeError("The demo has no proposed alternative.")
        groups = list(adopted.groups.order_by("pk"))
        # The social quality unit's developers move into the new groups, two in each.
        # The login developer (the first) stays in the social quality unit, in its new group.
        for index, user in enumerate(reversed(self.ske_staff)):
            groups[min(index // 2, len(groups) - 1)].members.add(user)
        effective_on = _working(add_months(self.today, -7).replace(day=1))
        actions.adopt_alternative(
            adopted,
            effective_on=effective_on,
            by=self.director,
            today=effective_on - dt.timedelta(days=21),
        )
        return adopted

    def follow_ups(self, adopted: Alternative) -> None:
        six = adopted.follow_ups.get(months=6)
        answers = {
            "tasks_clear": {"answer": "delvis", "comment": "Överlämningen av kundvalet är oklar."},
            "roles_clear": {"answer": "ja", "comment": ""},
            "time_as_planned": {
                "answer": "delvis",
                "comment": "Nämndarbetet tog mer tid än planerat.",
            },
            "backup": {
                "answer": "nej",
                "comment": "MAS/MAR och verksamhetssystemet saknar backup.",
            },
            "cross_cutting": {"answer": "delvis", "comment": "Avtalsfrågorna saknar forum."},
            "learning": {"answer": "ja", "comment": "Gemensamt metodforum varannan vecka."},
        }
        actions.complete_follow_up(
            six,
            answers=answers,
            findings=(
                "Enhetscheferna upplever närmare stöd. Insatsbanken och utförardialogen saknar "
                "fortfarande ansvarig, och flera nyckelkompetenser har ingen backup."
            ),
            actions=(
                "Utse ansvarig för insatsbanken och utförardialogen. Ta fram backup för MAS/MAR "
                "och verksamhetssystemet. Till handlingsplanen."
            ),
            by=self.director,
            today=min(six.due + dt.timedelta(days=3), self.today),
        )

    # --- Assignments and time ----------------------------------------------------------------

    def assignments(self, tasks: list[Task]) -> list[Assignment]:
        made: list[Assignment] = []
        start = self.today - dt.timedelta(days=365)
        day = _working(start)
        n = 0
        boards = list(self.process.boards.order_by("name"))
        while day < self.today:
            n += 1
            kind = self.rng.choice(list(ASSIGNMENT_TITLES))
            title = self.rng.choice(ASSIGNMENT_TITLES[kind])
            who = self.rng.random()
            board: Board | None = None
            if who < 0.15:
                requester, requester_unit = self.director, None
            elif who < 0.25:
                requester, requester_unit = self.secretary, None
                board = self.rng.choice(boards)
            else:
                requester, requester_unit = self.rng.choice(self.requesters)
            assignment = actions.file_assignment(
                requester=requester,
                kind=kind,
                title=f"{title} ({n})",
                description=f"{title}: underlag och förslag till åtgärder.",
                unit=self.quality_unit,
                requester_unit=requester_unit,
                board=board,
                task=self.rng.choice(tasks) if self.rng.random() < 0.5 else None,
                by=requester,
                today=day,
                now=_at(day, 9),
            )
            made.append(assignment)
            self.advance(assignment, day)
            day = _working(day + dt.timedelta(days=self.rng.choice([3, 4, 5, 6, 8])))
        # Two requests still waiting: one past its acknowledgement deadline, one just in.
        for back, title in ((6, "Underlag om hemlöshet"), (0, "Statistik om våld i nära relation")):
            received = working_days_before(previous_or_today(self.today), back)
            requester, requester_unit = self.requesters[back % len(self.requesters)]
            made.append(
                actions.file_assignment(
                    requester=requester,
                    kind=AssignmentKind.STATISTICS,
                    title=title,
                    description=f"{title} till enhetens ledningsgrupp.",
                    unit=self.quality_unit,
                    requester_unit=requester_unit,
                    by=requester,
                    today=received,
                    now=_at(received, 8),
                )
            )
        return made

    def advance(self, assignment: Assignment, received: dt.date) -> None:
        """Take ASSIGNMENT as far as it would have come by today."""
        age = (self.today - received).days
        owner = self.rng.choice(self.ske_staff)
        ack = _working(received + dt.timedelta(days=self.rng.choice([0, 1, 1, 2, 3, 6])))
        if age < 3 or ack > self.today:
            return  # still waiting to be acknowledged
        actions.acknowledge(assignment, by=owner, today=ack, now=_at(ack, 11))
        if self.rng.random() < 0.07:
            actions.decline(
                assignment,
                reason="Frågan hör till ekonomienheten; vi har hänvisat dit.",
                by=owner,
                today=ack,
                now=_at(ack, 14),
            )
            return
        planned_on = _working(ack + dt.timedelta(days=1))
        if planned_on > self.today:
            return
        weeks = self.rng.choice([2, 3, 4, 6, 8])
        due = _working(planned_on + dt.timedelta(weeks=weeks))
        estimate = Decimal(self.rng.choice([8, 12, 16, 24, 40]))
        actions.plan(
            assignment,
            owner=owner,
            due=due,
            estimate_hours=estimate,
            by=owner,
            today=planned_on,
            now=_at(planned_on),
        )
        actions.start(assignment, by=owner, today=planned_on, now=_at(planned_on, 13))
        delivered = _working(due - dt.timedelta(days=self.rng.choice([-3, 0, 2, 5])))
        week = planned_on - dt.timedelta(days=planned_on.weekday())
        last = min(delivered, self.today)
        per_week = (estimate / max(1, weeks)).quantize(Decimal("0.5")) or Decimal("1")
        while week <= last:
            actions.report_time(
                user=owner,
                week=week,
                hours=per_week,
                assignment=assignment,
                by=owner,
                today=min(week + dt.timedelta(days=4), self.today),
            )
            week += dt.timedelta(days=7)
        if delivered > self.today:
            return
        actions.deliver(assignment, by=owner, today=delivered, now=_at(delivered, 15))
        accepted = _working(delivered + dt.timedelta(days=self.rng.choice([1, 2, 3])))
        if accepted > self.today - dt.timedelta(days=2):
            return
        requester = assignment.requester
        actions.accept(assignment, by=requester, today=accepted, now=_at(accepted, 10))

    def task_time(self, tasks: list[Task]) -> None:
        week = self.today - dt.timedelta(days=self.today.weekday() + 52 * 7)
        owned = [t for t in tasks if t.name not in NO_OWNER]
        # The owners read once (not once per task, user and week): they do not change here.
        owners = {t.pk: set(t.owners.values_list("pk", flat=True)) for t in owned}
        mine_of = {
            user.pk: [t for t in owned if user.pk in owners[t.pk]] or owned
            for user in self.ske_staff
        }
        while week <= self.today:
            for user in self.ske_staff:
                mine = mine_of[user.pk]
                actions.report_time(
                    user=user,
                    week=week,
                    hours=Decimal(self.rng.choice([4, 6, 8, 10, 12])),
                    task=self.rng.choice(mine),
                    by=user,
                    today=min(week + dt.timedelta(days=4), self.today),
                )
            week += dt.timedelta(days=14)

    def plans(self) -> None:
        for unit in self.units.values():
            if unit == self.quality_unit:
                continue
            actions.set_year_plan(
                unit=unit,
                year=self.today.year,
                capacity_hours=Decimal(self.rng.choice([400, 600, 800, 1200])),
                notes="Kvalitets- och utvecklingsresursens timmar för enheten.",
                by=self.director,
            )

    # --- Boards -------------------------------------------------------------------------------

    def boards(self, assignments: list[Assignment]) -> None:
        for board in self.process.boards.order_by("name"):
            self.board(board, assignments)

    def board(self, board: Board, assignments: list[Assignment]) -> None:
        first = self.today.replace(day=1)
        for offset in range(-3, 5):
            month_start = add_months(first, offset)
            if month_start.month == 7:
                continue  # no meeting in July
            day = month_start + dt.timedelta(days=21)
            while day.weekday() != 3 or not is_working_day(day):  # a Thursday
                day += dt.timedelta(days=1)
            planned_on = day - dt.timedelta(days=90)
            meeting = actions.plan_meeting(
                board=board,
                date=day,
                place="Stadshuset, sammanträdesrum Sicklaön",
                by=self.secretary,
                today=planned_on,
            )
            for kind, report_back, title in self.rng.sample(BOARD_ITEMS, 4):
                item = actions.add_item(
                    meeting=meeting,
                    kind=kind,
                    report_back=report_back,
                    title=title,
                    answer_by=day + dt.timedelta(days=14)
                    if kind == ItemKind.CONSULTATION
                    else None,
                    writer=self.rng.choice(self.ske_staff),
                    by=self.secretary,
                    today=planned_on,
                )
                self.item_progress(item, day)

    def item_progress(self, item: BoardItem, meeting_on: dt.date) -> None:
        steps = [
            (ItemStatus.WRITING, item.memo_due - dt.timedelta(days=10)),
            (ItemStatus.REVIEWED, item.memo_due),
            (ItemStatus.SENT, item.chair_due),
        ]
        for to, on in steps:
            if on > self.today:
                return
            by = self.director if to == ItemStatus.REVIEWED else self.secretary
            actions.advance_item(item, to=to, by=by, today=on)
        if meeting_on > self.today:
            return
        actions.decide_item(
            item,
            decision="Nämnden beslutar enligt förvaltningens förslag.",
            by=self.secretary,
            today=meeting_on,
        )
        if meeting_on + dt.timedelta(days=7) <= self.today:
            actions.record_extract(
                item,
                extract="Protokollsutdrag: nämnden beslutade enligt förvaltningens förslag.",
                by=self.secretary,
            )


def seed_orgwork(*, today: dt.date, municipality: Municipality, seed: int) -> None:
    OrgworkSeeder(today=today, municipality=municipality, seed=seed).run()
