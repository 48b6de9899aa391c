"""Demo data for issue 13, part B: deviations, complaints and suggestions, a Lex Sarah case
reported to IVO and decided, another under investigation, and the year's provider follow-ups
with corrections and a sanction. Everything is invented; it goes through the actions, as a
user would, with the demo's dates."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tillit.accounts.models import User
from tillit.incidents.actions import complaints, deviations, followups, lexsarah
from tillit.incidents.models import (
    Category,
    ComplaintChannel,
    ComplaintKind,
    FollowUp,
    IvoOutcome,
    LexSarahKind,
    LexSarahRegistrar,
    PointResult,
    RootCause,
    SanctionStep,
)
from tillit.individuals.models import Case
from tillit.organisation.models import Board, Membership, Provider, Unit
from tillit.organisation.roles import Role

DEVIATIONS = [
    # days ago, category, what happened, root cause or "" (still open), acted
    (
        150,
        Category.HANDLING,
        "Skyddsbedömningen gjordes först dagen efter att anmälan kom in.",
        RootCause.STAFFING,
        True,
    ),
    (
        120,
        Category.DOCUMENTATION,
        "Barnets synpunkter fanns inte dokumenterade i utredningen.",
        RootCause.ROUTINE_NOT_FOLLOWED,
        True,
    ),
    (95, Category.CONFIDENTIALITY, "Ett brev skickades till fel adress.", RootCause.SYSTEM, True),
    (
        60,
        Category.HANDLING,
        "Förhandsbedömningen blev klar efter 16 dagar.",
        RootCause.STAFFING,
        False,
    ),
    (
        30,
        Category.INFORMATION,
        "Familjen fick inte veta att utredningen förlängdes.",
        RootCause.COMMUNICATION,
        False,
    ),
    (8, Category.DOCUMENTATION, "Våldsfrågorna var inte ställda före beslutet.", "", False),
    (2, Category.TREATMENT, "En förälder upplevde sig illa bemött i telefon.", "", False),
]
PROVIDER_DEVIATIONS = [
    (80, Category.INTERVENTION, "Ett planerat besök uteblev utan att kunden meddelades."),
    (40, Category.INTERVENTION, "Fel tid registrerades för ett besök."),
    (12, Category.SAFETY, "Kunden hittades på golvet vid besöket; ambulans tillkallades."),
]


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)


class IncidentsSeeder:
    def __init__(self, *, today: dt.date) -> None:
        self.today = today

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def run(self) -> None:
        bof = Unit.objects.get(name="Barn och familj")
        head = User.objects.get(username="enhetschef")
        registrar = User.objects.get(username="kvalitetsutvecklare")
        board = Board.objects.get(name="Socialnämnden")
        LexSarahRegistrar.objects.create(
            board=board,
            user=registrar,
            valid_from=self.today.replace(year=self.today.year - 3, day=1),
            decision="Socialnämnden § 12 (påhittat)",
        )
        workers = list(
            User.objects.filter(
                memberships__role=Role.SOCIAL_WORKER, memberships__unit=bof
            ).order_by("pk")[:5]
        )
        self.deviations(bof, head, workers)
        self.complaints(bof, head, workers)
        self.lex_sarah(bof, head, registrar, workers)
        self.follow_ups()

    def deviations(self, unit: Unit, head: User, workers: list[User]) -> None:
        for index, (ago, category, text, cause, acted) in enumerate(DEVIATIONS):
            on = self.day(ago)
            found = deviations.report_deviation(
                unit=unit,
                provider=None,
                case=None,
                occurred_on=on,
                category=category,
                description=text,
                immediate_action="Enhetschefen informerades.",
                by=workers[index % len(workers)],
                today=on,
            )
            if ago < 5:
                continue
            found = deviations.receive_deviation(found, by=head, today=on + dt.timedelta(days=1))
            if not cause:
                continue
            found = deviations.analyse_deviation(
                found,
                cause="Genomgång i gruppen visade orsaken.",
                root_cause=cause,
                by=head,
                today=on + dt.timedelta(days=7),
            )
            if acted:
                found = deviations.act_on_deviation(
                    found,
                    measures="Rutinen är förtydligad och gåtts igenom på APT.",
                    by=head,
                    today=on + dt.timedelta(days=20),
                )
                deviations.close_deviation(
                    found,
                    note="Följs upp i egenkontrollen.",
                    by=head,
                    today=on + dt.timedelta(days=30),
                )
        # One about a child's case, reported by the group head who reaches it: only those who
        # reach the case read it.
        case = Case.objects.filter(unit=unit, group__isnull=False, closed_on__isnull=True).first()
        if case is not None:
            group_head = Membership.objects.filter(role=Role.GROUP_HEAD, group=case.group).first()
            if group_head is not None:
                deviations.report_deviation(
                    unit=unit,
                    provider=None,
                    case=case,
                    occurred_on=self.day(3),
                    category=Category.HANDLING,
                    description="Utredningen har inte fått en ansvarig handläggare på två veckor.",
                    immediate_action="Ärendet fördelades samma dag.",
                    by=group_head.user,
                    today=self.day(3),
                )
        staff = User.objects.get(username="anordnare")
        provider = Provider.objects.get(name="Omsorgsbolaget Demo AB")
        for ago, category, text in PROVIDER_DEVIATIONS:
            deviations.report_deviation(
                unit=None,
                provider=provider,
                case=None,
                occurred_on=self.day(ago),
                category=category,
                description=text,
                immediate_action="Kunden kontaktades.",
                by=staff,
                today=self.day(ago),
            )

    def complaints(self, unit: Unit, head: User, workers: list[User]) -> None:
        specs = [
            (
                70,
                ComplaintKind.COMPLAINT,
                ComplaintChannel.PHONE,
                Category.HANDLING,
                False,
                "Har väntat på besked om stöd i sex veckor.",
                True,
            ),
            (
                45,
                ComplaintKind.COMPLAINT,
                ComplaintChannel.LETTER,
                Category.TREATMENT,
                False,
                "Upplevde att handläggaren inte lyssnade.",
                True,
            ),
            (
                20,
                ComplaintKind.SUGGESTION,
                ComplaintChannel.E_SERVICE,
                Category.INFORMATION,
                True,
                "Skriv breven på enklare svenska.",
                False,
            ),
            (
                4,
                ComplaintKind.COMPLAINT,
                ComplaintChannel.E_SERVICE,
                Category.HANDLING,
                True,
                "Ingen ringde tillbaka som utlovat.",
                False,
            ),
            (
                1,
                ComplaintKind.PRAISE,
                ComplaintChannel.STAFF,
                Category.TREATMENT,
                True,
                "Tack för ett gott bemötande på mottagningen.",
                False,
            ),
        ]
        for ago, kind, channel, category, anonymous, text, answered in specs:
            on = self.day(ago)
            found = complaints.register_complaint(
                kind=kind,
                channel=channel,
                unit=unit,
                provider=None,
                category=category,
                description=text,
                anonymous=anonymous,
                contact_name="" if anonymous else "Påhittad Person",
                contact_phone="" if anonymous else "070-000 00 00",
                wants_answer=not anonymous,
                received_on=on,
                by=complaints.E_SERVICE if channel == ComplaintChannel.E_SERVICE else workers[0],
                today=on,
            )
            if ago < 3:
                continue
            found = complaints.acknowledge_complaint(
                found, by=head, today=on + dt.timedelta(days=1)
            )
            if answered:
                found = complaints.answer_complaint(
                    found,
                    answer="Vi beklagar dröjsmålet och har gått igenom ärendet.",
                    root_cause=RootCause.STAFFING,
                    by=head,
                    today=on + dt.timedelta(days=10),
                )
                complaints.close_complaint(
                    found,
                    outcome="Besked lämnat; rutinen förtydligad.",
                    by=head,
                    today=on + dt.timedelta(days=12),
                )
        provider = Provider.objects.get(name="Omsorgsbolaget Demo AB")
        complaints.register_complaint(
            kind=ComplaintKind.COMPLAINT,
            channel=ComplaintChannel.PHONE,
            unit=None,
            provider=provider,
            category=Category.INTERVENTION,
            description="Hemtjänsten kommer ofta sent.",
            anonymous=True,
            received_on=self.day(15),
            by=workers[0],
            today=self.day(15),
        )

    def lex_sarah(self, unit: Unit, head: User, registrar: User, workers: list[User]) -> None:
        reported = self.day(110)
        found = lexsarah.report_lex_sarah(
            unit=unit,
            case=None,
            category=Category.SAFETY,
            occurred_on=reported,
            report="En anmälan om våld i hemmet blev liggande utan skyddsbedömning i tre dagar.",
            immediate_action="Skyddsbedömning gjordes samma dag som det upptäcktes.",
            by=workers[0],
            now=_at(reported),
        )
        found = lexsarah.register_lex_sarah(found, by=registrar, today=reported)
        found = lexsarah.investigate_lex_sarah(
            found,
            what_happened="Anmälan registrerades i fel grupps kö under en helg.",
            consequences="Barnet kunde ha varit utan skydd i tre dygn.",
            causes="Kön kontrollerades inte under helgen; rutin för jourens överlämning saknades.",
            root_cause=RootCause.NO_ROUTINE,
            measures="Rutin för överlämning från socialjouren; daglig kontroll av kön.",
            affected_view="Vårdnadshavaren har informerats och har inte haft synpunkter.",
            by=registrar,
            today=reported + dt.timedelta(days=12),
        )
        found = lexsarah.assess_lex_sarah(
            found,
            assessment=LexSarahKind.RISK,
            serious=True,
            reasons="Påtaglig risk för ett allvarligt missförhållande för ett barn.",
            by=head,
            today=reported + dt.timedelta(days=14),
        )
        found = lexsarah.report_to_ivo(found, by=head, today=reported + dt.timedelta(days=15))
        found = lexsarah.record_ivo_decision(
            found,
            decided_on=reported + dt.timedelta(days=70),
            outcome=IvoOutcome.CLOSED,
            reference="3.5.1-00000/2026 (påhittat)",
            decision="IVO bedömer att nämnden har vidtagit tillräckliga åtgärder.",
            by=head,
            today=reported + dt.timedelta(days=72),
        )
        lexsarah.close_lex_sarah(found, by=head, today=reported + dt.timedelta(days=72))
        # And one still under investigation.
        recent = self.day(6)
        found = lexsarah.report_lex_sarah(
            unit=unit,
            case=None,
            category=Category.CONFIDENTIALITY,
            occurred_on=recent,
            report="Uppgifter om ett placerat barn lämnades till fel person i telefon.",
            immediate_action="Enhetschefen kontaktades.",
            by=workers[1 % len(workers)],
            now=_at(recent),
        )
        lexsarah.register_lex_sarah(found, by=registrar, today=recent + dt.timedelta(days=1))

    def follow_ups(self) -> None:
        officer = User.objects.get(username="kundval")
        provider = Provider.objects.get(name="Omsorgsbolaget Demo AB")
        municipality = Unit.objects.get(name="Barn och familj").process.municipality
        plan_day = self.today.replace(month=1, day=15) if self.today.month > 1 else self.today
        plan = followups.make_plan(municipality, self.today.year, by=officer, today=plan_day)
        reviewed = list(
            FollowUp.objects.filter(plan=plan).exclude(provider=provider).order_by("pk")[:1]
        )
        ours = plan.follow_ups.filter(provider=provider).first()
        for found in ([ours] if ours else []) + reviewed:
            day = min(self.today, plan_day + dt.timedelta(days=30))
            found = followups.start_follow_up(found, by=officer, today=day)
            strict = found.provider_id == provider.pk
            for index, point in enumerate(found.points.all()):
                result = PointResult.MET
                note = ""
                if strict and index == 0:
                    result, note = PointResult.NOT_MET, "Genomförandeplaner saknas för tre kunder."
                elif strict and index == 1:
                    result, note = PointResult.PARTLY, "Avvikelser rapporteras men analyseras inte."
                followups.assess_point(point, result=result, note=note, by=officer, today=day)
            if strict:
                followups.ask_provider(
                    found,
                    question="Skicka er rutin för avvikelsehantering.",
                    due=day + dt.timedelta(days=14),
                    by=officer,
                    today=day,
                )
                followups.require_correction(
                    found,
                    description="Upprätta genomförandeplaner för samtliga kunder.",
                    due=day + dt.timedelta(days=45),
                    by=officer,
                    today=day,
                )
                followups.decide_sanction(
                    found,
                    step=SanctionStep.REMARK,
                    reason="Genomförandeplaner saknas (påhittat).",
                    by=officer,
                    today=day,
                )
                followups.decide_sanction(
                    found,
                    step=SanctionStep.WARNING,
                    reason="Bristen kvarstod vid återbesöket (påhittat).",
                    by=officer,
                    today=day,
                )
                followups.report_follow_up(
                    found,
                    result="anmarkning",
                    summary="Anordnaren uppfyller villkoren med anmärkningar; varning meddelad.",
                    by=officer,
                    today=day,
                )
            else:
                followups.report_follow_up(
                    found,
                    result="godkand",
                    summary="Anordnaren uppfyller villkoren.",
                    by=officer,
                    today=day,
                )


def seed_incidents(today: dt.date | None = None) -> None:
    """Called once from tillit.demo.seed after the organisation and kundval exist."""
    IncidentsSeeder(today=today or timezone.localdate()).run()
