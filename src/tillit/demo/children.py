"""Child-and-family history as rows: reports, assessments, investigations, follow-ups, deadlines.

`History(setting, rng).chunks()` yields unsaved model instances with their primary keys set,
family by family, in time order within each family. Nothing is read from the database while
generating, so the same code feeds the demo seed (bulk_create) and the benchmarks (COPY).

Every row is one the actions in `tillit.children.actions` could have written on the day it
carries: protective assessment before the initial decision, a late reason exactly when a step
was done after the deadline in force, an investigation opened only when none is ongoing (else
the report is attached to it), `follows` set by the same JO rule `open_investigation` applies,
one open case per child and group, the holder assigned to the case. Deadline rows come from
`tillit.children.tracking`'s builders, the code `sync_*` and `rebuild_all` use.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models

from tillit.children import tracking
from tillit.children.models import (
    Channel,
    ConcernCategory,
    Deadline,
    DeadlineKind,
    FollowUp,
    InitialAssessment,
    InitialDecision,
    InitialExtension,
    Intervention,
    InterventionKind,
    Investigation,
    InvestigationExtension,
    InvestigationOutcome,
    InvestigationScope,
    ProtectiveAssessment,
    Report,
    ReportedChild,
    ReporterCategory,
    RiskAssessment,
    RiskLevel,
)
from tillit.children.models.assessments import Answer
from tillit.children.rules import (
    ClosedInvestigation,
    is_about_violence,
    quick_reopening,
    reporter_identity,
)
from tillit.deadlines import engine
from tillit.deadlines.calendar import is_working_day
from tillit.demo import bulk
from tillit.demo.personnummer import invented_personnummer
from tillit.individuals.models import (
    Case,
    CaseAssignment,
    Individual,
    Protection,
    Relation,
    RelationKind,
)

STOCKHOLM = engine.STOCKHOLM
M = TypeVar("M", bound=models.Model)
WorkerLink = Investigation.workers.through

# Insert order that satisfies every foreign key except the deferred cycle track <-> investigation.
MODELS: tuple[type[models.Model], ...] = (
    Individual,
    Relation,
    Case,
    CaseAssignment,
    Report,
    ReportedChild,
    ProtectiveAssessment,
    RiskAssessment,
    InitialExtension,
    InitialAssessment,
    Investigation,
    WorkerLink,
    InvestigationExtension,
    Intervention,
    FollowUp,
    Deadline,
)

# Who reports (about 60 % police, school, preschool and health care) and how.
REPORTERS: dict[str, float] = {
    ReporterCategory.POLICE: 0.22,
    ReporterCategory.SCHOOL: 0.20,
    ReporterCategory.PRESCHOOL: 0.07,
    ReporterCategory.HEALTH_CARE: 0.08,
    ReporterCategory.CHILD_HEALTH_CENTRE: 0.03,
    ReporterCategory.SOCIAL_SERVICES: 0.10,
    ReporterCategory.OTHER_AUTHORITY: 0.06,
    ReporterCategory.RELATIVE: 0.08,
    ReporterCategory.NEIGHBOUR: 0.03,
    ReporterCategory.CHILD: 0.02,
    ReporterCategory.ANONYMOUS: 0.05,
    ReporterCategory.OTHER: 0.06,
}
DUTY_TO_REPORT = {
    ReporterCategory.POLICE,
    ReporterCategory.SCHOOL,
    ReporterCategory.PRESCHOOL,
    ReporterCategory.HEALTH_CARE,
    ReporterCategory.CHILD_HEALTH_CENTRE,
    ReporterCategory.SOCIAL_SERVICES,
    ReporterCategory.OTHER_AUTHORITY,
}
ORGANISATIONS: dict[str, list[str]] = {
    ReporterCategory.POLICE: ["Polisen, lokalpolisområde Nacka", "Polisen, region Stockholm"],
    ReporterCategory.SCHOOL: ["Ekbackens skola", "Sjöviksskolan", "Norrbergets skola"],
    ReporterCategory.PRESCHOOL: ["Förskolan Solrosen", "Förskolan Bäckdalen"],
    ReporterCategory.HEALTH_CARE: ["Barnakuten", "Vårdcentralen Centrum", "BUP Nacka"],
    ReporterCategory.CHILD_HEALTH_CENTRE: ["BVC Sickla", "BVC Orminge"],
    ReporterCategory.SOCIAL_SERVICES: ["Vuxenenheten", "Socialjouren"],
    ReporterCategory.OTHER_AUTHORITY: ["Kriminalvården", "Försäkringskassan"],
}
# About 20 % of reports concern violence (the first four are the violence concerns).
CONCERNS: dict[str, float] = {
    ConcernCategory.VIOLENCE: 0.09,
    ConcernCategory.WITNESSED_VIOLENCE: 0.08,
    ConcernCategory.HONOUR: 0.01,
    ConcernCategory.SEXUAL_ABUSE: 0.02,
    ConcernCategory.PARENT_ILLNESS: 0.22,
    ConcernCategory.NEGLECT: 0.25,
    ConcernCategory.OWN_BEHAVIOUR: 0.25,
    ConcernCategory.OTHER: 0.08,
}
DESCRIPTIONS: dict[str, str] = {
    ConcernCategory.VIOLENCE: "Barnet berättar att en förälder slår hemma.",
    ConcernCategory.WITNESSED_VIOLENCE: "Polis kallad till hemmet efter bråk mellan föräldrarna.",
    ConcernCategory.HONOUR: "Barnet uppger att hon inte får träffa vänner efter skolan.",
    ConcernCategory.SEXUAL_ABUSE: "Barnet har berättat om övergrepp för en pedagog.",
    ConcernCategory.PARENT_ILLNESS: "Vårdnadshavaren verkar påverkad vid hämtning.",
    ConcernCategory.NEGLECT: "Barnet kommer ofta hungrigt och utan ytterkläder.",
    ConcernCategory.OWN_BEHAVIOUR: "Ungdomen har gripits för snatteri och är ofta ute sent.",
    ConcernCategory.OTHER: "Hög frånvaro från skolan sedan terminsstarten.",
}
LATE_REASONS = [
    "Hög arbetsbelastning i mottagningsgruppen.",
    "Ansvarig handläggare sjuk; ärendet omfördelades.",
    "Vårdnadshavaren nåddes inte trots flera försök.",
    "Väntade på uppgifter från skolan.",
]
INITIAL_GROUNDS = [
    "Barnet kunde inte höras inom fjorton dagar: vistas utomlands med vårdnadshavare.",
    "Polisens förhör med barnet väntas först nästa vecka.",
]
INVESTIGATION_GROUNDS = [
    "Väntar på utlåtande från BUP som behövs för bedömningen.",
    "Barnet har varit inlagt på sjukhus under utredningen.",
    "Ny allvarlig information under utredningen kräver kompletterande samtal.",
]
CLOSING_REASONS = {
    InvestigationOutcome.INTERVENTION: "Utredningen visar behov av stöd som familjen tar emot.",
    InvestigationOutcome.NO_INTERVENTION: "Utredningen visar inget behov av insats från nämnden.",
    InvestigationOutcome.OTHER: "Familjen har flyttat från kommunen.",
}
NOT_OPEN_REASONS = [
    "Familjen har redan stöd från BUP; ingen ytterligare oro framkommit.",
    "Uppgifterna bedöms inte ge anledning att inleda utredning.",
    "Vårdnadshavarna tar oron på allvar och har själva sökt stöd.",
]
TRANSFER_TO = ["Värmdö kommun", "Stockholms stad", "Tyresö kommun"]
INTERVENTIONS: dict[str, float] = {
    InterventionKind.OPEN_CARE: 0.55,
    InterventionKind.CONTACT: 0.20,
    InterventionKind.FAMILY_HOME: 0.10,
    InterventionKind.RESIDENTIAL: 0.05,
    InterventionKind.OTHER: 0.10,
}

# Timing: the shares of each step done on time, late, or extended.
PROTECTIVE_LATE = 0.02
INITIAL_LATE = 0.07
INITIAL_EXTENDED = 0.03
OPEN_SHARE = 0.40  # of reports about a child with no ongoing investigation: ~38 % of all
TRANSFER_SHARE = 0.02
INVESTIGATION_EXTENDED = 0.10
INVESTIGATION_LATE = 0.06
INTERVENTION_SHARE = 0.45
JO_PATTERN = 0.06  # of late investigations: a new report soon after, and a new investigation
SIBLINGS = 0.12  # of reports about a family with more than one child
UNASSIGNED_RECENT = 0.25  # of reports from the last working day: no holder yet


@dataclass(frozen=True)
class Team:
    group_id: int
    head_id: int
    worker_ids: tuple[int, ...]

    def pick(self, rng: random.Random) -> int:
        """A worker for a new item; the first (the demo's login) twice as often as the rest."""
        return rng.choice((*self.worker_ids, self.worker_ids[0]))


@dataclass
class Setting:
    """Where the history happens, and how much of it: everything the generator needs to know."""

    unit_id: int
    reception: Sequence[Team]
    investigation: Sequence[Team]
    unit_head_id: int
    checklist_id: int
    questions: Sequence[tuple[str, bool]]  # (code, about_violence) of the checklist in use
    provider_ids: Sequence[int]
    policy: engine.DeadlinePolicy
    jo_margin_days: int
    now: dt.datetime  # the demo's "today", aware; nothing happens after it
    days: int  # how far back the history goes
    reports: int  # how many reports
    first_ids: dict[type[models.Model], int]
    used_numbers: set[str] = field(default_factory=set)
    first_names: Sequence[str] = ("Alva", "Elias", "Maja", "Noah", "Saga", "Liam")
    last_names: Sequence[str] = ("Andersson", "Berg", "Lind", "Nyström", "Åberg", "Holm")
    streets: Sequence[str] = ("Storgatan 1", "Skogsvägen 12", "Sjövägen 3")
    reporter_names: Sequence[str] = ("Anna Lund", "Per Holm", "Eva Ström")
    chunk_families: int = 2000
    # Tries at a free test-series personnummer before a person is stored without one (as the
    # register form allows): the series has 20 numbers a day, too few for a large city.
    number_attempts: int = 100
    protected_share: float = 0.015  # of families: confidentiality-marked identities


@dataclass
class _Plan:
    investigation: Investigation
    due: engine.Due
    closes_on: dt.date | None  # the planned day, also when after `now`


@dataclass
class _Child:
    individual: Individual
    cases: dict[int, Case] = field(default_factory=dict)  # group id -> the open case
    plans: list[_Plan] = field(default_factory=list)


# When a JO-pattern report follows a late investigation, and about which child.
_FollowedBy = tuple[dt.datetime, _Child] | None


class Rows(dict[type[models.Model], list[models.Model]]):
    def add(self, obj: models.Model) -> None:
        self.setdefault(type(obj), []).append(obj)


def _choice(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class History:
    def __init__(self, setting: Setting, rng: random.Random) -> None:
        self.s = setting
        self.rng = rng
        self.now = setting.now
        self.today = setting.now.astimezone(STOCKHOLM).date()
        self.start = self.today - dt.timedelta(days=setting.days)
        self.ids = {model: setting.first_ids.get(model, 1) for model in MODELS}
        self.assigned: set[tuple[int, int]] = set()
        self.rows = Rows()
        self.made = 0
        # The day before the last working day: reports after it may still lack a holder.
        recent = self.today - dt.timedelta(days=1)
        while not is_working_day(recent):
            recent -= dt.timedelta(days=1)
        self.recent = recent

    # --- plumbing ---------------------------------------------------------------------------------

    def new(self, model: type[M], **values: Any) -> M:
        obj = model(id=self.ids[model], **values)
        self.ids[model] += 1
        self.rows.add(obj)
        return obj

    def chunks(self) -> Iterator[Rows]:
        families = 0
        while self.made < self.s.reports:
            self.family()
            families += 1
            if families % self.s.chunk_families == 0:
                yield self.rows
                self.rows = Rows()
        if self.rows:
            yield self.rows

    def local(self, day: dt.date, hour: int, minute: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=STOCKHOLM)

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def working_back(self, day: dt.date, floor: dt.date) -> dt.date:
        """DAY, or the working day before it, but never before FLOOR: when decisions are made."""
        candidate = day
        while not is_working_day(candidate) and candidate > floor:
            candidate -= dt.timedelta(days=1)
        return candidate

    # --- people -------------------------------------------------------------------------------

    def person(self, born: dt.date, last_name: str, address: str, protection: str) -> Individual:
        number = None
        for _ in range(self.s.number_attempts):
            candidate = invented_personnummer(born, self.rng)
            if candidate not in self.s.used_numbers:
                number = candidate
                self.s.used_numbers.add(number)
                break
            born += dt.timedelta(days=1)
        return self.new(
            Individual,
            personal_number=number,
            first_name=self.rng.choice(self.s.first_names),
            last_name=last_name,
            date_of_birth=born,
            street_address=address,
            postal_code=f"13{self.rng.randrange(100, 999)}",
            city="Nacka",
            protection=protection,
        )

    def received_times(self, count: int) -> list[dt.datetime]:
        times = []
        span = (self.now - self.local(self.start, 0, 0)).total_seconds()
        for _ in range(count):
            while True:
                moment = self.local(self.start, 0, 0) + dt.timedelta(
                    seconds=self.rng.random() * span
                )
                local = moment.astimezone(STOCKHOLM)
                office = is_working_day(local.date()) and 8 <= local.hour < 17
                if office or self.rng.random() < 0.12:  # evenings and weekends: mostly police
                    times.append(moment.replace(second=0, microsecond=0))
                    break
        return sorted(times)

    def family(self) -> None:
        rng = self.rng
        last_name = rng.choice(self.s.last_names)
        address = rng.choice(self.s.streets)
        reports = rng.choices([1, 2, 3, 4, 6], weights=[58, 22, 11, 6, 3])[0]
        times = self.received_times(min(reports, self.s.reports - self.made))
        first = times[0].astimezone(STOCKHOLM).date()
        size = rng.choices([1, 2, 3], weights=[45, 35, 20])[0]
        protection = Protection.NONE
        if rng.random() < self.s.protected_share:
            protection = Protection.CONFIDENTIALITY_MARKING
        children = []
        for _ in range(size):
            born = first - self.days(60, 17 * 365)
            children.append(_Child(self.person(born, last_name, address, protection)))
        guardian_born = first - self.days(24 * 365, 45 * 365)
        guardian = self.person(guardian_born, last_name, address, protection)
        for child in children:
            self.new(
                Relation,
                individual_id=child.individual.id,
                relative_id=guardian.id,
                kind=RelationKind.GUARDIAN,
            )
        # (received, index of the child a JO-pattern report is about, or -1)
        queue = [(moment, -1) for moment in times]
        while queue:
            received_at, jo_child = queue.pop(0)
            day = received_at.astimezone(STOCKHOLM).date()
            minors = [
                c
                for c in children
                if c.individual.date_of_birth <= day and _age(c.individual.date_of_birth, day) < 18
            ]
            if jo_child >= 0:
                concerned = [children[jo_child]]
            elif not minors:
                continue
            else:
                concerned = [rng.choice(minors)]
                if len(minors) > 1 and rng.random() < SIBLINGS:
                    concerned = minors
            followed = self.report(received_at, concerned, jo=jo_child >= 0)
            if followed is not None and self.made < self.s.reports:
                bisect.insort(queue, (followed[0], children.index(followed[1])))

    # --- a report and its tracks ---------------------------------------------------------------

    def report(
        self, received_at: dt.datetime, children: list[_Child], *, jo: bool = False
    ) -> _FollowedBy:
        """One report and a track per child; returns when a JO-pattern report follows, and
        about whom (a new report soon after an investigation closed late)."""
        rng = self.rng
        self.made += 1
        team = rng.choice(self.s.reception)
        category = _choice(rng, REPORTERS)
        anonymous = category == ReporterCategory.ANONYMOUS or (
            category in (ReporterCategory.NEIGHBOUR, ReporterCategory.RELATIVE)
            and rng.random() < 0.2
        )
        if category == ReporterCategory.POLICE:
            channel = Channel.POLICE
        elif category in DUTY_TO_REPORT:
            channel = rng.choice([Channel.E_SERVICE] * 5 + [Channel.PHONE] * 4 + [Channel.LETTER])
        else:
            channel = rng.choice(
                [Channel.PHONE] * 6 + [Channel.E_SERVICE] * 3 + [Channel.IN_PERSON]
            )
        concerns = {_choice(rng, CONCERNS)}
        if rng.random() < 0.2:
            concerns.add(rng.choice([ConcernCategory.PARENT_ILLNESS, ConcernCategory.NEGLECT]))
        name = "" if anonymous else rng.choice(self.s.reporter_names)
        organisation = ""
        if not anonymous and category in ORGANISATIONS:
            organisation = rng.choice(ORGANISATIONS[category])
        day = received_at.astimezone(STOCKHOLM).date()
        holder: int | None = team.pick(rng)
        if day >= self.recent and rng.random() < UNASSIGNED_RECENT:
            holder = None
        report = self.new(
            Report,
            unit_id=self.s.unit_id,
            group_id=team.group_id,
            received_at=received_at,
            channel=channel,
            reporter_category=category,
            reporter_has_duty=category in DUTY_TO_REPORT,
            **reporter_identity(
                anonymous=anonymous,
                name=name,
                organisation=organisation,
                phone="" if anonymous else f"08-{rng.randrange(100000, 999999)}",
                withhold=not anonymous and rng.random() < 0.05,
            ),
            concerns=sorted(concerns),
            about_violence=is_about_violence(concerns),
            description=" ".join(DESCRIPTIONS[c] for c in sorted(concerns)),
            submission_key=uuid.UUID(int=rng.getrandbits(128), version=4),
            registered_by_id=holder or team.head_id,
            registered_at=received_at,
        )
        followed = None
        for child in children:
            followed = self.track(report, child, team, holder, jo=jo) or followed
        return followed

    def case(self, child: _Child, group_id: int, on: dt.date, title: str) -> Case:
        case = child.cases.get(group_id)
        if case is None:
            case = self.new(
                Case,
                individual_id=child.individual.id,
                unit_id=self.s.unit_id,
                group_id=group_id,
                title=title,
                opened_on=on,
            )
            child.cases[group_id] = case
        return case

    def assign(self, case: Case, user_id: int | None, on: dt.date) -> None:
        if user_id is not None and (case.id, user_id) not in self.assigned:
            self.assigned.add((case.id, user_id))
            self.new(CaseAssignment, case_id=case.id, user_id=user_id, valid_from=on)

    def track(
        self, report: Report, child: _Child, team: Team, holder: int | None, *, jo: bool
    ) -> _FollowedBy:
        rng, policy = self.rng, self.s.policy
        received_at = report.received_at
        day = received_at.astimezone(STOCKHOLM).date()
        case = self.case(child, team.group_id, day, "Barnavård")
        track = self.new(
            ReportedChild,
            report_id=report.id,
            individual_id=child.individual.id,
            case_id=case.id,
            holder_id=holder,
            received_at=received_at,
        )
        self.assign(case, holder, day)
        worker = holder or rng.choice(team.worker_ids)

        protective = self.protective(track, worker)
        initial = extension = None
        followed = None
        if protective is not None:
            initial, extension, followed = self.initial(
                track, report, child, team, protective, jo=jo
            )
        rows = tracking.track_fields(
            track,
            unit_id=self.s.unit_id,
            group_id=team.group_id,
            policy=policy,
            protective=protective,
            initial=initial,
            extension=extension,
        )
        for kind, fields in rows.items():
            self.new(Deadline, kind=kind, track_id=track.id, **fields)
        return followed

    def protective(self, track: ReportedChild, worker: int) -> ProtectiveAssessment | None:
        rng = self.rng
        received_at = track.received_at
        due = engine.protective_due(received_at, self.s.policy).effective
        local = received_at.astimezone(STOCKHOLM)
        late_reason = ""
        if rng.random() < PROTECTIVE_LATE:
            day = due + self.days(1, 3)
            at = self.local(day, rng.randint(8, 15), rng.randrange(60))
            late_reason = rng.choice(LATE_REASONS)
        elif due == local.date():
            at = received_at + dt.timedelta(minutes=rng.randint(10, 150))
            if at.astimezone(STOCKHOLM).date() != due:
                at = local.replace(hour=23, minute=59).astimezone(STOCKHOLM)
        else:
            at = self.local(due, rng.randint(8, 11), rng.randrange(60))
            at = max(at, received_at + dt.timedelta(minutes=30))
            if at.astimezone(STOCKHOLM).date() > due:
                at = self.local(due, 23, 59)
        if at > self.now:
            return None
        immediate = rng.random() < 0.04
        return self.new(
            ProtectiveAssessment,
            track_id=track.id,
            assessed_at=at,
            assessed_by_id=worker,
            immediate_protection=immediate,
            action_taken="Barnet placerat akut hos anhörig." if immediate else "",
            reasoning="Inget tyder på att barnet behöver omedelbart skydd."
            if not immediate
            else "Barnet kan inte återvända hem i kväll.",
            late_reason=late_reason,
        )

    def risk(
        self, track: ReportedChild, report: Report, worker: int, at: dt.datetime
    ) -> RiskAssessment:
        rng = self.rng
        answers: dict[str, str] = {}
        for code, violence in self.s.questions:
            if violence and report.about_violence:
                answers[code] = rng.choice([Answer.YES, Answer.NO, Answer.NO])
            elif rng.random() < 0.8:
                answers[code] = rng.choice([Answer.NO, Answer.NO, Answer.YES, Answer.UNKNOWN])
        yes = sum(1 for value in answers.values() if value == Answer.YES)
        level = [RiskLevel.LOW, RiskLevel.MODERATE, RiskLevel.HIGH][min(2, yes // 2)]
        return self.new(
            RiskAssessment,
            track_id=track.id,
            checklist_id=self.s.checklist_id,
            answers=answers,
            level=level,
            notes="",
            assessed_at=at,
            assessed_by_id=worker,
        )

    def initial(
        self,
        track: ReportedChild,
        report: Report,
        child: _Child,
        team: Team,
        protective: ProtectiveAssessment,
        *,
        jo: bool,
    ) -> tuple[InitialAssessment | None, InitialExtension | None, _FollowedBy]:
        rng, policy = self.rng, self.s.policy
        received = track.received_at.astimezone(STOCKHOLM).date()
        assessed = protective.assessed_at.astimezone(STOCKHOLM).date()
        floor = max(received, assessed)
        due = engine.initial_due(track.received_at, policy).effective
        worker = track.holder_id or rng.choice(team.worker_ids)
        extension = None
        late_reason = ""
        draw = rng.random()
        if draw < INITIAL_EXTENDED:
            decided = self.working_back(received + self.days(7, 13), floor)
            if decided <= self.today:
                extension = self.new(
                    InitialExtension,
                    track_id=track.id,
                    grounds=rng.choice(INITIAL_GROUNDS),
                    new_due=due + self.days(10, 28),
                    decided_on=decided,
                    decided_by_id=team.head_id,
                )
            in_force = extension.new_due if extension else due
            decided_on = self.working_back(in_force - self.days(0, 8), floor)
            if rng.random() < 0.1:
                decided_on = in_force + self.days(1, 10)
            if extension is not None:
                decided_on = max(decided_on, extension.decided_on + dt.timedelta(days=1))
        elif draw < INITIAL_EXTENDED + INITIAL_LATE:
            decided_on = due + self.days(1, 20)
        else:
            decided_on = self.working_back(received + self.days(1, 14), floor)
            decided_on = min(max(decided_on, floor), due)
        decided_on = max(decided_on, floor)
        in_force = extension.new_due if extension else due
        if decided_on > in_force:
            late_reason = rng.choice(LATE_REASONS)
        # The risk assessment is made between the protective assessment and the decision.
        risk_day = assessed + dt.timedelta(
            days=rng.randint(0, max(0, (decided_on - assessed).days))
        )
        risk_at = max(
            self.local(risk_day, rng.randint(9, 15), rng.randrange(60)),
            protective.assessed_at + dt.timedelta(minutes=20),
        )
        if decided_on > self.today:
            if risk_at <= self.now and rng.random() < 0.6:
                self.risk(track, report, worker, risk_at)
            return None, extension, None
        risk_at = min(risk_at, self.now, self.local(decided_on, 23, 59))
        self.risk(track, report, worker, max(risk_at, protective.assessed_at))

        ongoing = self.ongoing(child, decided_on)
        draw = rng.random()
        decision = InitialDecision.NOT_OPEN
        if ongoing is not None:
            decision = InitialDecision.ALREADY
            track.attached_to_id = ongoing.investigation.id
        elif any(plan.investigation.opened_on > decided_on for plan in child.plans):
            # An earlier report about the child is about to open one (decided later).
            pass
        elif draw < OPEN_SHARE or jo:
            decision = InitialDecision.OPEN
        elif draw < OPEN_SHARE + TRANSFER_SHARE:
            decision = InitialDecision.TRANSFER
        initial = self.new(
            InitialAssessment,
            track_id=track.id,
            decision=decision,
            decided_on=decided_on,
            decided_by_id=team.head_id,
            reasons=rng.choice(NOT_OPEN_REASONS)
            if decision in (InitialDecision.NOT_OPEN, InitialDecision.TRANSFER)
            else "",
            transferred_to=rng.choice(TRANSFER_TO) if decision == InitialDecision.TRANSFER else "",
            late_reason=late_reason,
        )
        followed = None
        if decision == InitialDecision.OPEN:
            followed = self.investigation(track, child, decided_on)
        return initial, extension, followed

    def ongoing(self, child: _Child, on: dt.date) -> _Plan | None:
        for plan in child.plans:
            opened = plan.investigation.opened_on
            if opened <= on and (plan.closes_on is None or plan.closes_on >= on):
                return plan
        return None

    # --- investigation, interventions, follow-ups ------------------------------------------------

    def investigation(self, track: ReportedChild, child: _Child, opened_on: dt.date) -> _FollowedBy:
        rng, policy = self.rng, self.s.policy
        team = rng.choice(self.s.investigation)
        case = self.case(child, team.group_id, opened_on, "Utredning")
        holder = team.pick(rng)
        due = engine.investigation_due(opened_on, policy)
        investigation = self.new(
            Investigation,
            individual_id=child.individual.id,
            case_id=case.id,
            opened_on=opened_on,
            origin_id=track.id,
            scope=InvestigationScope.EXTENDED if rng.random() < 0.5 else InvestigationScope.LIMITED,
            holder_id=holder,
            closed_on=None,
            outcome="",
            closing_reasons="",
            late_reason="",
            follows_id=self.follows(child, opened_on),
        )
        team_ids = [holder]
        if rng.random() < 0.3:
            team_ids.append(rng.choice([w for w in team.worker_ids if w != holder] or [holder]))
        for user_id in dict.fromkeys(team_ids):
            self.new(WorkerLink, investigation_id=investigation.id, user_id=user_id)
            self.assign(case, user_id, opened_on)

        extension = None
        draw = rng.random()
        late = False
        if draw < INVESTIGATION_EXTENDED:
            decided = max(opened_on, due.effective - self.days(5, 20))
            new_due = due.effective + self.days(30, 60)
            if decided <= self.today:
                informed = min(self.today, decided + self.days(0, 3))
                extension = self.new(
                    InvestigationExtension,
                    investigation_id=investigation.id,
                    grounds=rng.choice(INVESTIGATION_GROUNDS),
                    new_due=new_due,
                    decided_on=decided,
                    decided_by_id=self.s.unit_head_id,
                    family_informed_on=informed,
                )
            closes_on = self.working_back(new_due - self.days(0, 25), opened_on)
        elif draw < INVESTIGATION_EXTENDED + INVESTIGATION_LATE:
            closes_on = due.effective + self.days(1, 40)
            late = True
        else:
            length = (due.effective - opened_on).days
            closes_on = self.working_back(
                opened_on + dt.timedelta(days=int(length * (1 - 0.55 * rng.random() ** 2))),
                opened_on,
            )
        in_force = extension.new_due if extension else due.effective
        child.plans.append(_Plan(investigation, due, closes_on))
        followed = None
        if closes_on <= self.today:
            self.close(investigation, closes_on, in_force, holder, team.group_id)
            if late and rng.random() < JO_PATTERN:
                again = self.local(closes_on + self.days(3, 25), rng.randint(9, 15), 0)
                followed = (again, child) if again <= self.now else None
        fields = tracking.investigation_fields(
            investigation,
            unit_id=self.s.unit_id,
            group_id=team.group_id,
            policy=policy,
            extension=extension,
        )
        self.new(
            Deadline, kind=DeadlineKind.INVESTIGATION, investigation_id=investigation.id, **fields
        )
        return followed

    def follows(self, child: _Child, opened_on: dt.date) -> int | None:
        """The investigation a new one follows in the Ombudsman's pattern (rules.quick_reopening),
        from the child's investigations planned so far."""
        closed = [
            ClosedInvestigation(p.investigation.id, p.investigation.closed_on, p.due.effective)
            for p in child.plans
            if p.investigation.closed_on is not None
        ]
        return quick_reopening(opened_on, closed, margin_days=self.s.jo_margin_days)

    def close(
        self,
        investigation: Investigation,
        closed_on: dt.date,
        in_force: dt.date,
        holder: int,
        group_id: int,
    ) -> None:
        rng = self.rng
        outcome = InvestigationOutcome.NO_INTERVENTION
        draw = rng.random()
        if draw < INTERVENTION_SHARE:
            outcome = InvestigationOutcome.INTERVENTION
        elif draw > 0.9:
            outcome = InvestigationOutcome.OTHER
        investigation.closed_on = closed_on
        investigation.outcome = outcome
        investigation.closing_reasons = CLOSING_REASONS[outcome]
        investigation.late_reason = rng.choice(LATE_REASONS) if closed_on > in_force else ""
        if outcome == InvestigationOutcome.INTERVENTION:
            self.intervention(investigation, closed_on, holder, group_id)

    def intervention(
        self, investigation: Investigation, closed_on: dt.date, holder: int, group_id: int
    ) -> None:
        rng, policy = self.rng, self.s.policy
        decided_on = max(investigation.opened_on, closed_on - self.days(0, 10))
        starts_on = decided_on + self.days(0, 14)
        kind = _choice(rng, INTERVENTIONS)
        provider = None
        if kind == InterventionKind.OPEN_CARE and self.s.provider_ids and rng.random() < 0.5:
            provider = rng.choice(self.s.provider_ids)
        intervention = self.new(
            Intervention,
            individual_id=investigation.individual_id,
            case_id=investigation.case_id,
            investigation_id=investigation.id,
            kind=kind,
            decided_on=decided_on,
            decided_by_id=self.s.unit_head_id,
            starts_on=starts_on,
            ends_on=starts_on + self.days(180, 365) if rng.random() < 0.7 else None,
            provider_id=provider,
            description="",
        )
        for months in (3, 6) if rng.random() < 0.6 else (3,):
            planned_on = decided_on + dt.timedelta(days=30 * months)
            done_on: dt.date | None = max(decided_on, planned_on + self.days(-10, 4))
            assert done_on is not None  # noqa: S101 - just set
            if done_on > self.today or (
                (self.today - planned_on).days <= 20 and rng.random() < 0.3
            ):
                done_on = None
            follow_up = self.new(
                FollowUp,
                intervention_id=intervention.id,
                planned_on=planned_on,
                holder_id=holder,
                done_on=done_on,
                notes="Insatsen följs upp med familjen; fortsatt behov." if done_on else "",
            )
            fields = tracking.follow_up_fields(
                follow_up,
                intervention=intervention,
                unit_id=self.s.unit_id,
                group_id=group_id,
                policy=policy,
            )
            self.new(Deadline, kind=DeadlineKind.FOLLOW_UP, follow_up_id=follow_up.id, **fields)


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def store(rows: Rows, *, history_date: dt.datetime | None = None) -> None:
    """Insert one chunk (COPY on PostgreSQL); with HISTORY_DATE, also each record's first
    history row, as `objects.create` would have written it, dated then."""
    for model in MODELS:
        objs = rows.get(model)
        if not objs:
            continue
        bulk.insert(model, objs)
        if history_date is not None:
            bulk.insert_history(model, objs, history_date)


def next_ids() -> dict[type[models.Model], int]:
    """The first free id of each model: where a bulk load with its own ids starts."""
    return {
        # The base manager: the table's every row (Deadline's default sees only its kinds).
        model: (model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        for model in MODELS
    }


def reset_sequences() -> None:
    """After rows were inserted with their own ids: the next id the database hands out."""
    from django.core.management.color import no_style
    from django.db import connection

    # A proxy (Deadline) has no fields of its own: its table's sequence is its concrete model's.
    concrete = list(dict.fromkeys(model._meta.concrete_model or model for model in MODELS))
    statements = connection.ops.sequence_reset_sql(no_style(), concrete)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
