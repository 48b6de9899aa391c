"""A deterministic, invented, Nacka-sized municipality for the demo and the browser tests."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from tillit.accounts.models import User
from tillit.admin_site import administrator_permissions
from tillit.children.actions import current_checklist
from tillit.deadlines.models import policy_for
from tillit.demo import children as history
from tillit.demo.goals_seed import seed_goals
from tillit.demo.incidents_seed import seed_incidents
from tillit.demo.kundval_seed import KundvalDemo, KundvalSeeder
from tillit.demo.orgwork_seed import seed_orgwork
from tillit.demo.personnummer import invented_personnummer
from tillit.demo.public_seed import seed_public
from tillit.demo.quality_seed import seed_quality
from tillit.demo.reminders_seed import seed_reminders
from tillit.individuals.models import (
    Case,
    CaseAssignment,
    Individual,
    Protection,
    Relation,
    RelationKind,
)
from tillit.organisation.models import (
    Board,
    Group,
    Membership,
    Municipality,
    Process,
    Provider,
    Unit,
)
from tillit.organisation.roles import Role

SEED = 20261122
STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Barn och familj's reports: Nacka's volume, over the two years before the demo's today.
REPORTS_PER_YEAR = 4200
HISTORY_DAYS = 730
DEMO_PASSWORD = "demo-tillit-2026"  # noqa: S105 - printed to every demo user; demo data only

# Barn och familj: about 90 staff in the groups Nacka's unit describes.
CHILD_AND_FAMILY_GROUPS = {
    "Mottagning": 22,
    "Utredning": 24,
    "Familjehem": 14,
    "Familjerätt": 10,
    "Unga i riskzon": 10,
    "Kvalitet och stöd": 4,
}
OTHER_UNITS = {
    "Omsorgsenheten": {"Biståndshandläggning": 10, "Boendestöd": 8},
    "Äldreenheten": {"Biståndshandläggning äldre": 12},
    "Enheten för funktionsnedsättning": {"LSS-handläggning": 10},
}
QUALITY_UNIT = "Sociala kvalitetsenheten"

CASE_TITLES = [
    "Orosanmälan från skola",
    "Orosanmälan från polis",
    "Orosanmälan från BVC",
    "Ansökan om stöd",
    "Utredning enligt SoL",
    "Familjehemsplacering",
]


@dataclass
class Demo:
    logins: list[tuple[str, str]] = field(default_factory=list)
    kundval: KundvalDemo | None = None


class _Seeder:
    def __init__(
        self, today: dt.date, now: dt.datetime | None = None, reports_per_year: int = 0
    ) -> None:
        self.today = today
        self.reports_per_year = reports_per_year
        # The moment the demo stands at: nothing in its history happens later.
        self.now = now or dt.datetime.combine(today, dt.time(14, 0), tzinfo=STOCKHOLM)
        self.rng = random.Random(SEED)
        self.fake = Faker("sv_SE")
        self.fake.seed_instance(SEED)
        self.password = make_password(DEMO_PASSWORD)
        self.start = today.replace(year=today.year - 3, day=1)
        self.demo = Demo()
        self.used_numbers: set[str] = set()

    def user(self, username: str | None = None, title: str = "", *, login: str = "") -> User:
        first, last = self.fake.first_name(), self.fake.last_name()
        username = username or f"{first}.{last}.{self.rng.randrange(1000)}".lower()
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.tillit.invalid",
            title=title,
            password=self.password,
        )
        if login:
            self.demo.logins.append((username, login))
        return user

    def member(self, user: User, role: Role, **place: object) -> None:
        Membership.objects.create(user=user, role=role, valid_from=self.start, **place)

    def run(self) -> Demo:
        # 9999: no real municipality's code (0000 is Riket in Kolada; 99 is no county).
        municipality = Municipality.objects.create(name="Demokommunen", code="9999")
        social_board = Board.objects.create(municipality=municipality, name="Socialnämnden")
        elderly_board = Board.objects.create(municipality=municipality, name="Äldrenämnden")
        director = self.user("direktor", "Social- och äldredirektör", login="Direktör/processägare")
        process = Process.objects.create(
            municipality=municipality, name="Social omsorg", owner=director
        )
        process.boards.set([social_board, elderly_board])
        self.member(director, Role.DIRECTOR)
        self.member(
            self.user("namndsekreterare", "Nämndsekreterare", login="Nämndsekreterare"),
            Role.BOARD_SECRETARY,
        )
        admin = self.user("admin", "Systemförvaltare", login="Systemadministratör")
        admin.is_staff = True
        admin.save(update_fields=["is_staff"])
        admin.user_permissions.set(administrator_permissions())
        self.member(admin, Role.SYSTEM_ADMIN)

        bof = Unit.objects.create(process=process, name="Barn och familj")
        unit_head = self.user("enhetschef", "Enhetschef", login="Enhetschef, Barn och familj")
        self.member(unit_head, Role.UNIT_HEAD, unit=bof)
        workers_by_group: dict[Group, list[User]] = {}
        heads: dict[Group, User] = {}
        for group_name, size in CHILD_AND_FAMILY_GROUPS.items():
            group = Group.objects.create(unit=bof, name=group_name)
            slug = group_name.split()[0].lower().replace("ä", "a").replace("å", "a")
            head = self.user(f"gruppchef.{slug}", "Gruppchef", login=f"Gruppchef, {group_name}")
            self.member(head, Role.GROUP_HEAD, unit=bof, group=group)
            heads[group] = head
            workers = []
            for n in range(size - 1):
                role = (
                    Role.QUALITY_DEVELOPER
                    if group_name == "Kvalitet och stöd"
                    else Role.SOCIAL_WORKER
                )
                login = ""
                if n == 0:
                    login = f"{role.label}, {group_name}"
                username = f"{slug}{n + 1}" if n == 0 else None
                worker = self.user(username, str(role.label), login=login)
                if role == Role.QUALITY_DEVELOPER:
                    self.member(worker, role, unit=bof)
                else:
                    self.member(worker, role, unit=bof, group=group)
                    workers.append(worker)
            workers_by_group[group] = workers

        for unit_name, groups in OTHER_UNITS.items():
            unit = Unit.objects.create(process=process, name=unit_name)
            self.member(self.user(None, "Enhetschef"), Role.UNIT_HEAD, unit=unit)
            for group_name, size in groups.items():
                group = Group.objects.create(unit=unit, name=group_name)
                self.member(self.user(None, "Gruppchef"), Role.GROUP_HEAD, unit=unit, group=group)
                for _ in range(size):
                    self.member(
                        self.user(None, "Socialsekreterare"),
                        Role.SOCIAL_WORKER,
                        unit=unit,
                        group=group,
                    )

        quality = Unit.objects.create(process=process, name=QUALITY_UNIT)
        self.member(self.user(None, "Enhetschef"), Role.UNIT_HEAD, unit=quality)
        for n in range(6):
            username = "kvalitetsutvecklare" if n == 0 else None
            login = "Kvalitetsutvecklare, sociala kvalitetsenheten" if n == 0 else ""
            self.member(
                self.user(username, "Kvalitetsutvecklare", login=login),
                Role.QUALITY_DEVELOPER,
                unit=quality,
            )
        kundval = self.user("kundval", "Kundvalshandläggare", login="Kundvalshandläggare")
        self.member(kundval, Role.KUNDVAL_OFFICER, unit=quality)

        provider = Provider.objects.create(
            name="Omsorgsbolaget Demo AB", organisation_number="556000-0001"
        )
        provider_staff = self.user("anordnare", "Verksamhetschef", login="Anordnarpersonal")
        self.member(provider_staff, Role.PROVIDER_STAFF, provider=provider)

        self.children_and_cases(workers_by_group)
        self.child_history(bof, workers_by_group, heads, unit_head, provider)
        self.demo.kundval = KundvalSeeder(
            today=self.today,
            municipality=municipality,
            unit=quality,
            officer=kundval,
            demo_provider=provider,
            provider_staff=provider_staff,
            used_numbers=self.used_numbers,
        ).run()
        seed_orgwork(today=self.today, municipality=municipality, seed=SEED)
        seed_incidents(self.today)  # issue 13, part B
        seed_quality(self.today)  # quality management, part A (issue 13)
        seed_goals(municipality, today=self.today, now=self.now)  # goals (issue 15)
        seed_public(self.today, municipality, now=self.now)  # the public side (issue 14)
        seed_reminders(self.today)  # last, over every domain's deadlines
        return self.demo

    def person(self, birth_date: dt.date, protection: str = Protection.NONE) -> Individual:
        number = invented_personnummer(birth_date, self.rng)
        while number in self.used_numbers:
            birth_date += dt.timedelta(days=1)
            number = invented_personnummer(birth_date, self.rng)
        self.used_numbers.add(number)
        return Individual.objects.create(
            personal_number=number,
            first_name=self.fake.first_name(),
            last_name=self.fake.last_name(),
            date_of_birth=birth_date,
            street_address=self.fake.street_address(),
            postal_code=self.fake.postcode().replace(" ", ""),
            city="Nacka",
            protection=protection,
        )

    def children_and_cases(self, workers_by_group: dict[Group, list[User]]) -> None:
        case_groups = [g for g in workers_by_group if workers_by_group[g]]
        for n in range(400):
            born = self.today - dt.timedelta(days=self.rng.randrange(200, 17 * 365))
            protection = Protection.NONE
            if n % 40 == 7:
                protection = self.rng.choice(
                    [Protection.CONFIDENTIALITY_MARKING, Protection.PROTECTED_REGISTRATION]
                )
            child = self.person(born, protection)
            guardian_born = born - dt.timedelta(days=self.rng.randrange(20 * 365, 40 * 365))
            guardian = self.person(guardian_born, protection)
            Relation.objects.create(individual=child, relative=guardian, kind=RelationKind.GUARDIAN)
            group = case_groups[n % len(case_groups)]
            opened = self.today - dt.timedelta(days=self.rng.randrange(0, 400))
            closed = None
            if self.rng.random() < 0.3:
                closed = min(self.today, opened + dt.timedelta(days=self.rng.randrange(14, 150)))
            case = Case.objects.create(
                individual=child,
                unit=group.unit,
                group=group,
                title=self.rng.choice(CASE_TITLES),
                opened_on=opened,
                closed_on=closed,
            )
            if group.name != "Mottagning" or self.rng.random() < 0.3:
                CaseAssignment.objects.create(
                    case=case, user=self.rng.choice(workers_by_group[group]), valid_from=opened
                )

    def child_history(
        self,
        unit: Unit,
        workers_by_group: dict[Group, list[User]],
        heads: dict[Group, User],
        unit_head: User,
        provider: Provider,
    ) -> None:
        """Two years of reports, assessments, investigations and follow-ups (docs/demo-data.md)."""
        by_name = {group.name: group for group in workers_by_group}

        def team(name: str) -> history.Team:
            group = by_name[name]
            workers = tuple(user.pk for user in workers_by_group[group])
            return history.Team(group_id=group.pk, head_id=heads[group].pk, worker_ids=workers)

        checklist = current_checklist(self.today)
        setting = history.Setting(
            unit_id=unit.pk,
            reception=[team("Mottagning")],
            investigation=[team("Utredning")],
            unit_head_id=unit_head.pk,
            checklist_id=checklist.pk,
            questions=list(checklist.questions.values_list("code", "about_violence")),
            provider_ids=[provider.pk],
            policy=policy_for(unit.pk),
            jo_margin_days=settings.TILLIT_JO_NEAR_LIMIT_DAYS,
            now=self.now,
            days=HISTORY_DAYS,
            reports=self.reports_per_year * HISTORY_DAYS // 365,
            first_ids=history.next_ids(),
            used_numbers=self.used_numbers,
            first_names=[self.fake.first_name() for _ in range(300)],
            last_names=[self.fake.last_name() for _ in range(300)],
            streets=[self.fake.street_address() for _ in range(300)],
            reporter_names=[self.fake.name() for _ in range(200)],
            chunk_families=10**9,
        )
        for rows in history.History(setting, self.rng).chunks():
            history.store(rows, history_date=self.now)
        history.reset_sequences()


def seed_demo(
    today: dt.date, now: dt.datetime | None = None, *, reports_per_year: int = REPORTS_PER_YEAR
) -> Demo:
    """The demo as it stands at NOW (default: TODAY at 14:00); fewer reports for quick tests."""
    with transaction.atomic():
        return _Seeder(today, now, reports_per_year).run()
