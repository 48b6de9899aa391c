"""Demo data for the quality management system (issue 13, part A), through the quality actions.

- Social omsorg's child-and-family steps, from report to follow-up, with their legal rules and
  hand-overs, and routines (one replaced by a second version, one draft);
- "Skyddsbedömning i tid": every report checked every three months for two years, computed from
  the demo's own history; the target is met and the unit head releases the check;
- "Förhandsbedömning inom 14 dagar": under its target, so a deficiency with measures, one
  verified by the unit head and closed, one done and waiting for verification, one in progress
  and one overdue;
- a manual check of the child's views on a sample of ten reports;
- two board reports (the second shows what changed) and last year's quality report, adopted.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from tillit.accounts.models import User
from tillit.deadlines.models import LegalRule
from tillit.organisation.models import Board, Group, Process, Unit
from tillit.organisation.roles import Role
from tillit.quality import actions, checks, rules
from tillit.quality.models import AuditPlan, AuditRun, Check, Method, RunStatus

STEPS = [
    (
        "Anmälan tas emot",
        Role.SOCIAL_WORKER,
        "Mottagning",
        "skyddsbedomning",
        "Anmälan registreras samma dag; skyddsbedömning genast, senast nästa arbetsdag efter "
        "kl. 16.",
        "Skyddsbedömningen dokumenteras och anmälan går vidare till informationsinhämtning.",
    ),
    (
        "Informationsinhämtning",
        Role.SOCIAL_WORKER,
        "Mottagning",
        None,
        "Samtal med anmälaren, vårdnadshavare och barnet när det är lämpligt.",
        "Uppgifterna samlas i förhandsbedömningen.",
    ),
    (
        "Riskbedömning",
        Role.SOCIAL_WORKER,
        "Mottagning",
        None,
        "Checklistan besvaras; gäller anmälan våld ska våldsfrågorna besvaras före beslut.",
        "Risknivån följer med till beslutet om utredning.",
    ),
    (
        "Förhandsbedömning",
        Role.GROUP_HEAD,
        "Mottagning",
        "forhandsbedomning",
        "Beslut om att inleda eller inte inleda utredning inom 14 dagar.",
        "Vid beslut att inleda: överlämning till utredningsgruppen samma vecka.",
    ),
    (
        "Utredning",
        Role.SOCIAL_WORKER,
        "Utredning",
        "utredning",
        "Utredningen ska vara klar inom fyra månader; förlängning bara av särskilda skäl.",
        "Beslut om insats överlämnas till utföraren med en vårdplan.",
    ),
    (
        "Insats",
        Role.GROUP_HEAD,
        "Utredning",
        None,
        "Beslutad insats startar; genomförandeplan upprättas med familjen.",
        "Uppföljningsdatum bestäms i beslutet.",
    ),
    (
        "Uppföljning",
        Role.SOCIAL_WORKER,
        "Utredning",
        "uppfoljning",
        "Insatsen följs upp på det datum som beslutats.",
        "Avslut eller nytt beslut.",
    ),
]


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_default_timezone())


def _quarters_back(today: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    """The COUNT complete quarters before TODAY's, oldest first."""
    current, _last = rules.period_containing(today, 3)
    return [
        rules.period_containing(rules.add_months(current, -3 * n), 3) for n in range(count, 0, -1)
    ]


def seed_quality(today: dt.date) -> None:
    rng = random.Random(13)
    process = Process.objects.get(name="Social omsorg")
    bof = Unit.objects.get(name="Barn och familj")
    board = Board.objects.get(name="Socialnämnden")
    head = User.objects.get(username="enhetschef")
    qd = User.objects.get(username="kvalitetsutvecklare")
    director = User.objects.get(username="direktor")
    reception_head = User.objects.get(username="gruppchef.mottagning")
    investigation_head = User.objects.get(username="gruppchef.utredning")
    groups = {g.name: g for g in Group.objects.filter(unit=bof)}
    rules_by_code = {r.code: r for r in LegalRule.objects.all()}

    # 1. The child-and-family process and its routines.
    steps = {}
    for name, role, group, rule, description, handover in STEPS:
        steps[name] = actions.add_step(
            process,
            name=name,
            by=director,
            description=description,
            responsible_role=role,
            responsible_group=groups.get(group),
            legal_rule=rules_by_code.get(rule) if rule else None,
            handover=handover,
        )
    two_years = today - dt.timedelta(days=730)
    first = actions.create_routine(
        process,
        title="Mottagning av orosanmälan",
        owner=reception_head,
        step=steps["Anmälan tas emot"],
        who="Mottagningens socialsekreterare registrerar anmälan och gör skyddsbedömningen.",
        why="Barnets behov av omedelbart skydd ska bedömas genast (11 kap. 1 a § SoL).",
        how="Registrera i Tillit samma dag, skyddsbedömning före kl. 16 eller av jouren.",
        by=qd,
    )
    actions.adopt_version(
        first,
        valid_from=two_years,
        review_on=two_years + dt.timedelta(days=365),
        by=head,
        today=two_years,
    )
    second = actions.new_version(first.routine, by=qd)
    actions.edit_draft(
        second,
        who=second.who + " Gruppchefen kontrollerar kön kl. 15 varje arbetsdag.",
        why=second.why,
        how=second.how + " Anmälningar efter kl. 16 går till socialjouren.",
        by=qd,
    )
    adopted_on = today - dt.timedelta(days=200)
    actions.adopt_version(
        second,
        valid_from=adopted_on,
        review_on=adopted_on + dt.timedelta(days=365),
        by=head,
        today=adopted_on,
    )
    risk = actions.create_routine(
        process,
        title="Skyddsbedömning",
        owner=reception_head,
        step=steps["Anmälan tas emot"],
        who="Den socialsekreterare som tar emot anmälan; vid frånvaro gruppchefen.",
        why="Ett barn i akut fara ska skyddas utan dröjsmål.",
        how="Bedöm utifrån anmälan och tidigare kännedom; dokumentera skälen.",
        by=qd,
    )
    actions.adopt_version(
        risk,
        valid_from=two_years,
        review_on=today + dt.timedelta(days=20),
        by=head,
        today=two_years,
    )
    actions.create_routine(
        process,
        title="Riskbedömning vid våld",
        owner=investigation_head,
        step=steps["Riskbedömning"],
        who="Handläggaren besvarar våldsfrågorna; gruppchefen kontrollerar före beslut.",
        why="Våld mot barn ska uppmärksammas och bedömas innan beslut fattas.",
        how="Checklistans våldsfrågor besvaras i Tillit innan förhandsbedömningen beslutas.",
        by=qd,
    )

    # 2. Self-audits over the last eight quarters.
    quarters = _quarters_back(today, 8)
    protective = _plan(
        bof,
        qd,
        head,
        quarters[0][0],
        title="Skyddsbedömning i tid",
        check=Check.PROTECTIVE_ON_TIME,
        target=Decimal("95"),
        reference="11 kap. 1 a § SoL",
    )
    initial = _plan(
        bof,
        qd,
        head,
        quarters[0][0],
        title="Förhandsbedömning inom 14 dagar",
        check=Check.INITIAL_ON_TIME,
        target=Decimal("95"),
        reference="11 kap. 1 a § andra stycket SoL",
    )
    for first_day, last_day in quarters:
        done_on = min(today, last_day + dt.timedelta(days=20))
        for plan in (protective, initial):
            run = AuditRun.objects.get(plan=plan, period_first=first_day)
            actions.start_run(run, by=qd, now=_at(done_on))
            run = actions.finish_run(run, by=qd, today=done_on)
            if rng.random() < 0.8 or plan == protective:
                actions.review_run(
                    run, note="Genomgånget på ledningsmötet.", by=head, today=done_on
                )
    if actions.may_release(protective):
        actions.release_plan(
            protective,
            reason="Målet har nåtts varje kvartal i två år; kontrollen flyttas till "
            "förhandsbedömningen.",
            by=head,
            today=today - dt.timedelta(days=5),
        )
    # Ten records, or every one when the demo runs at a smaller volume (the tests' demos).
    population = checks.manual_population(bof.pk, *quarters[-1])
    if population:
        manual = AuditPlan.objects.get(
            pk=actions.create_plan(
                bof,
                actions.PlanData(
                    title="Barnets synpunkter dokumenterade",
                    population="Varje anmälan som kommit in under kvartalet",
                    method=Method.MANUAL,
                    check="",
                    checklist=[
                        "Barnets synpunkter är dokumenterade",
                        "Vårdnadshavare har informerats om anmälan",
                    ],
                    sample_size=min(10, len(population)),
                    interval_months=3,
                    holder=qd,
                    target_percent=Decimal("90"),
                    legal_reference="11 kap. 10 § SoL",
                ),
                by=qd,
                today=quarters[-1][0],
            ).pk
        )
        actions.adopt_plan(manual, by=head, today=quarters[-1][0])
        run = AuditRun.objects.get(plan=manual, period_first=quarters[-1][0])
        done_on = min(today, quarters[-1][1] + dt.timedelta(days=25))
        run = actions.start_run(run, by=qd, now=_at(done_on), seed=20261202)
        for record_id in run.sample:
            answers = [
                ("ja" if rng.random() < 0.8 else "nej", ""),
                ("ja" if rng.random() < 0.95 else "ej_aktuellt", ""),
            ]
            actions.answer_record(run, record_id, answers, by=qd)
        actions.finish_run(run, by=qd, today=done_on)

    # 4. The action plan: the initial assessments' latest run under target.
    latest = (
        AuditRun.objects.filter(plan=initial, status__in=[RunStatus.DONE, RunStatus.REVIEWED])
        .order_by("-period_first")
        .first()
    )
    recorded = today - dt.timedelta(days=120)
    deficiency = actions.record_deficiency(
        bof,
        title="Förhandsbedömningar blir klara efter 14 dagar",
        description="Egenkontrollen når inte målet 95 %; sena beslut samlas före helger.",
        severity="hog",
        source_type="egenkontroll",
        source_run=latest,
        by=qd,
        today=recorded,
    )
    planned = [
        ("Veckovis genomgång av ärenden dag 10 på mottagningens möte", reception_head, 45),
        ("Ny rutin: beslut om förlängning senast dag 12", reception_head, 60),
        ("Extra beredskap för förhandsbedömningar under sommaren", head, 100),
        ("Utbildning i förhandsbedömning för nyanställda", reception_head, 110),
    ]
    measures = [
        actions.add_measure(
            deficiency,
            description=text,
            owner=owner,
            due_on=recorded + dt.timedelta(days=days),
            expected_effect="Fler förhandsbedömningar klara inom 14 dagar.",
            verification_method="Nästa kvartals egenkontroll av förhandsbedömningar.",
            by=qd,
            today=recorded,
        )
        for text, owner, days in planned
    ]
    other = actions.record_deficiency(
        bof,
        title="Anmälningar om våld saknar besvarade våldsfrågor i äldre ärenden",
        severity="medel",
        source_type="ivo_jo",
        source_reference="IVO 3.5.1-12345/2025",
        by=head,
        today=recorded + dt.timedelta(days=10),
    )
    actions.add_measure(
        other,
        description="Genomgång av öppna ärenden om våld",
        owner=investigation_head,
        due_on=today + dt.timedelta(days=30),
        expected_effect="Alla öppna ärenden om våld har besvarade våldsfrågor.",
        verification_method="Egenkontroll: våldsfrågor besvarade före beslut.",
        by=head,
        today=recorded + dt.timedelta(days=10),
    )
    first_report = today - dt.timedelta(days=60)
    actions.make_board_report(
        board,
        meeting_on=first_report,
        period_first=dt.date(first_report.year, 1, 1),
        period_last=first_report,
        by=qd,
        now=_at(first_report),
    )
    actions.start_measure(measures[0], by=reception_head, today=recorded + dt.timedelta(days=5))
    actions.mark_done(
        measures[0],
        note="Genomgången hålls varje tisdag sedan april.",
        by=reception_head,
        today=recorded + dt.timedelta(days=40),
    )
    actions.verify_measure(
        measures[0],
        evidence="Protokoll från mottagningens möten; färre sena beslut.",
        by=head,
        today=recorded + dt.timedelta(days=50),
    )
    actions.close_measure(measures[0], by=head, today=recorded + dt.timedelta(days=50))
    actions.mark_done(
        measures[1],
        note="Rutinen är fastställd och presenterad för gruppen.",
        by=reception_head,
        today=recorded + dt.timedelta(days=58),
    )
    actions.start_measure(measures[2], by=head, today=recorded + dt.timedelta(days=20))
    actions.make_board_report(
        board,
        meeting_on=today,
        period_first=dt.date(today.year, 1, 1),
        period_last=today,
        by=qd,
        now=_at(today),
    )

    # 7. Last year's quality report, adopted and reported.
    report = actions.draft_quality_report(
        year=today.year - 1, unit=bof, by=qd, now=_at(dt.date(today.year, 1, 20))
    )
    actions.edit_texts(
        report,
        {
            "compliance": "Skyddsbedömningarna görs i tid; förhandsbedömningarna når inte målet.",
            "self_audits": "Egenkontrollen av skyddsbedömningar har nått målet varje kvartal.",
            "action_plan": "Åtgärdsplanen följs upp på varje ledningsmöte.",
        },
        by=qd,
    )
    for who in (head, head, director):
        actions.advance_quality_report(report, by=who, today=dt.date(today.year, 2, 10))


def _plan(
    unit: Unit,
    qd: User,
    head: User,
    start: dt.date,
    *,
    title: str,
    check: str,
    target: Decimal,
    reference: str,
) -> AuditPlan:
    plan = actions.create_plan(
        unit,
        actions.PlanData(
            title=title,
            population="Varje anmälan som kommit in under kvartalet",
            method=Method.COMPUTED,
            check=check,
            checklist=[],
            sample_size=None,
            interval_months=3,
            holder=qd,
            target_percent=target,
            legal_reference=reference,
        ),
        by=qd,
        today=start,
    )
    return actions.adopt_plan(plan, by=head, today=start)
