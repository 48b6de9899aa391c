"""Every change in the quality management system: one function each, in a transaction, with the
actor as `by=` and the time as `now=`/`today=`. Refusals are Swedish ValidationErrors and save
nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.access.actions import state_audit_purpose
from tillit.changelog.log import Actor, record_change
from tillit.deadlines.due import cancel_due, complete_due, open_due
from tillit.organisation.models import Board, Membership, Process, Unit
from tillit.organisation.roles import Role
from tillit.quality import checks, rules
from tillit.quality.due_kinds import AUDIT_RUN, MEASURE, ROUTINE_REVIEW
from tillit.quality.models import (
    Answer,
    AuditPlan,
    AuditRun,
    BoardReport,
    ChecklistAnswer,
    Deficiency,
    Measure,
    MeasureStatus,
    Method,
    PlanStatus,
    ProcessStep,
    QualityReport,
    ReportStatus,
    Routine,
    RoutineStatus,
    RoutineVersion,
    RunStatus,
    SourceType,
)

if TYPE_CHECKING:
    from tillit.accounts.models import User


def _today(today: dt.date | None, now: dt.datetime | None = None) -> dt.date:
    if today is not None:
        return today
    return timezone.localdate(now or timezone.now())


def _is_unit_head(user: User, unit_id: int, today: dt.date) -> bool:
    return (
        Membership.objects.active(today)
        .filter(user=user, role=Role.UNIT_HEAD, unit_id=unit_id)
        .exists()
    )


def _is_quality_developer(user: User, unit_id: int, today: dt.date) -> bool:
    unit = Unit.objects.get(pk=unit_id)
    return (
        Membership.objects.active(today)
        .filter(user=user, role=Role.QUALITY_DEVELOPER, unit__process_id=unit.process_id)
        .exists()
    )


def _takes_part(user: User, unit_id: int, today: dt.date) -> bool:
    return _is_unit_head(user, unit_id, today) or _is_quality_developer(user, unit_id, today)


def _required(values: dict[str, Any]) -> dict[str, str]:
    return {
        name: _("Fältet måste fyllas i.")
        for name, value in values.items()
        if value is None or (isinstance(value, str) and not value.strip())
    }


# --- 1. Processes and routines ------------------------------------------------------------------


@transaction.atomic
def add_step(
    process: Process,
    *,
    name: str,
    by: Actor,
    description: str = "",
    responsible_role: str = "",
    responsible_group: Any = None,
    legal_rule: Any = None,
    handover: str = "",
) -> ProcessStep:
    if not name.strip():
        raise ValidationError({"name": _("Ange stegets namn.")})
    last = process.steps.order_by("-order").values_list("order", flat=True).first() or 0
    step = ProcessStep.objects.create(
        process=process,
        order=last + 1,
        name=name,
        description=description,
        responsible_role=responsible_role,
        responsible_group=responsible_group,
        legal_rule=legal_rule,
        handover=handover,
    )
    record_change(by, "quality.step.added", step)
    return step


@transaction.atomic
def create_routine(
    process: Process,
    *,
    title: str,
    owner: User | None,
    who: str,
    why: str,
    how: str,
    by: Actor,
    step: ProcessStep | None = None,
) -> RoutineVersion:
    errors = _required({"title": title, "who": who, "why": why, "how": how})
    if owner is None:
        errors["owner"] = _("En rutin måste ha en ägare.")
    if errors:
        raise ValidationError(errors)
    routine = Routine.objects.create(
        process=process, step=step, title=title, owner=cast("User", owner)
    )
    version = RoutineVersion.objects.create(routine=routine, number=1, who=who, why=why, how=how)
    record_change(by, "quality.routine.created", routine)
    return version


@transaction.atomic
def edit_draft(
    version: RoutineVersion, *, who: str, why: str, how: str, by: Actor
) -> RoutineVersion:
    version = RoutineVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != RoutineStatus.DRAFT:
        raise ValidationError(
            _("En fastställd version ändras aldrig: gör en ny version i stället.")
        )
    errors = _required({"who": who, "why": why, "how": how})
    if errors:
        raise ValidationError(errors)
    before = {"who": version.who, "why": version.why, "how": version.how}
    version.who, version.why, version.how = who, why, how
    version.save()
    changed = {k: (v, getattr(version, k)) for k, v in before.items() if v != getattr(version, k)}
    record_change(by, "quality.routine.draft_edited", version, changed)
    return version


@transaction.atomic
def new_version(routine: Routine, *, by: Actor) -> RoutineVersion:
    """A new draft, starting from the text in force."""
    routine = Routine.objects.select_for_update().get(pk=routine.pk)
    if routine.versions.filter(status=RoutineStatus.DRAFT).exists():
        raise ValidationError(_("Rutinen har redan ett utkast."))
    current = routine.versions.order_by("-number").first()
    version = RoutineVersion.objects.create(
        routine=routine,
        number=(current.number + 1) if current else 1,
        who=current.who if current else "",
        why=current.why if current else "",
        how=current.how if current else "",
    )
    record_change(by, "quality.routine.new_version", version)
    return version


@transaction.atomic
def adopt_version(
    version: RoutineVersion,
    *,
    valid_from: dt.date | None,
    review_on: dt.date | None,
    by: User,
    today: dt.date | None = None,
) -> RoutineVersion:
    """Fastställ: the version in force until replaced; the one before it is replaced. The owner
    is reminded before the review date (a generic deadline)."""
    today = _today(today)
    version = (
        RoutineVersion.objects.select_for_update().select_related("routine").get(pk=version.pk)
    )
    errors: dict[str, str] = {}
    if version.status != RoutineStatus.DRAFT:
        errors["__all__"] = _("Bara ett utkast kan fastställas.")
    if valid_from is None:
        errors["valid_from"] = _("Ange från vilket datum rutinen gäller.")
    if review_on is None:
        errors["review_on"] = _("Ange när rutinen senast ska ses över.")
    elif valid_from is not None and review_on <= valid_from:
        errors["review_on"] = _("Översynen ska ligga efter det datum rutinen börjar gälla.")
    if errors:
        raise ValidationError(errors)
    valid_from, review_on = cast(dt.date, valid_from), cast(dt.date, review_on)
    for old in RoutineVersion.objects.select_for_update().filter(
        routine=version.routine, status=RoutineStatus.ADOPTED
    ):
        old.status = RoutineStatus.REPLACED
        old.replaced_on = valid_from
        old.save()
        cancel_due(old, ROUTINE_REVIEW)
        record_change(by, "quality.routine.replaced", old, {"status": ("faststalld", "ersatt")})
    version.status = RoutineStatus.ADOPTED
    version.valid_from = valid_from
    version.review_on = review_on
    version.adopted_by = by
    version.adopted_on = today
    version.save()
    open_due(
        version,
        ROUTINE_REVIEW,
        review_on,
        unit=None,
        holder=cast("User", version.routine.owner),
        started_on=today,
        title=str(_("Se över rutinen: %(title)s") % {"title": version.routine.title})[:200],
    )
    record_change(by, "quality.routine.adopted", version, {"status": ("utkast", "faststalld")})
    return version


# --- 2. Self-audits --------------------------------------------------------------------------


@dataclass
class PlanData:
    title: str
    population: str
    method: str
    check: str
    checklist: list[str]
    sample_size: int | None
    interval_months: int
    holder: User | None
    target_percent: Decimal | None
    legal_reference: str


def _plan_errors(unit: Unit, data: PlanData, today: dt.date) -> dict[str, str]:
    errors = _required(
        {
            "title": data.title,
            "population": data.population,
            "legal_reference": data.legal_reference,
        }
    )
    if data.holder is None:
        errors["holder"] = _("Ange vem som ansvarar för egenkontrollen.")
    elif not rules.audit_holder_ids({unit.pk}, today).filter(user_id=data.holder.pk).exists():
        errors["holder"] = _(
            "Den ansvarige genomför egenkontrollen och ska vara enhetschef för enheten "
            "eller kvalitetsutvecklare i dess process."
        )
    elif rules.independence_forbids(data.holder.pk, unit.pk, today):
        errors["holder"] = _(
            "Nämnden har beslutat att en kvalitetsutvecklare inte granskar sin egen enhet."
        )
    if data.target_percent is None or not (0 <= data.target_percent <= 100):
        errors["target_percent"] = _("Ange målet som en andel mellan 0 och 100 procent.")
    if data.interval_months not in rules.INTERVALS:
        errors["interval_months"] = _("Välj 1, 2, 3, 4, 6 eller 12 månader.")
    if data.method == Method.COMPUTED:
        if not data.check:
            errors["check"] = _("Välj vad som ska beräknas.")
    elif data.method == Method.MANUAL:
        if not [q for q in data.checklist if q.strip()]:
            errors["checklist"] = _("Skriv minst en fråga i checklistan, en per rad.")
        if not data.sample_size:
            errors["sample_size"] = _("Ange hur många poster stickprovet ska omfatta.")
    else:
        errors["method"] = _("Välj metod.")
    return errors


@transaction.atomic
def create_plan(unit: Unit, data: PlanData, *, by: User, today: dt.date | None = None) -> AuditPlan:
    today = _today(today)
    errors = _plan_errors(unit, data, today)
    if errors:
        raise ValidationError(errors)
    plan = AuditPlan.objects.create(
        unit=unit,
        title=data.title,
        population=data.population,
        method=data.method,
        computed_check=data.check if data.method == Method.COMPUTED else "",
        checklist=[q.strip() for q in data.checklist if q.strip()]
        if data.method == Method.MANUAL
        else [],
        sample_size=data.sample_size if data.method == Method.MANUAL else None,
        interval_months=data.interval_months,
        holder=cast("User", data.holder),
        target_percent=cast(Decimal, data.target_percent),
        legal_reference=data.legal_reference,
    )
    record_change(by, "quality.plan.created", plan)
    return plan


def _plan_run(plan: AuditPlan, first: dt.date, last: dt.date, *, by: Actor) -> AuditRun:
    run, created = AuditRun.objects.get_or_create(
        plan=plan, period_first=first, defaults={"period_last": last}
    )
    if created:
        open_due(
            run,
            AUDIT_RUN,
            rules.run_due(last),
            unit=plan.unit,
            holder=cast("User", plan.holder),
            started_on=first,
            title=str(_("Egenkontroll: %(title)s") % {"title": plan.title})[:200],
        )
        record_change(by, "quality.run.planned", run)
    return run


@transaction.atomic
def adopt_plan(plan: AuditPlan, *, by: User, today: dt.date | None = None) -> AuditPlan:
    """The unit head adopts the plan; its first run (the current period) is planned."""
    today = _today(today)
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    if not _is_unit_head(by, plan.unit_id, today):
        raise ValidationError(_("Bara enhetschefen för enheten kan fastställa planen."))
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Planen är redan fastställd."))
    plan.status = PlanStatus.ADOPTED
    plan.adopted_by = by
    plan.adopted_on = today
    plan.save()
    record_change(by, "quality.plan.adopted", plan, {"status": ("utkast", "faststalld")})
    first, last = rules.period_containing(today, plan.interval_months)
    _plan_run(plan, first, last, by=by)
    return plan


@transaction.atomic
def plan_run(
    plan: AuditPlan, *, first: dt.date, last: dt.date, by: User, today: dt.date | None = None
) -> AuditRun:
    """A run for a chosen period (e.g. a check after the plan was released)."""
    today = _today(today)
    if plan.status == PlanStatus.DRAFT:
        raise ValidationError(_("Planen måste fastställas innan den kan köras."))
    if not _takes_part(by, plan.unit_id, today):
        raise ValidationError(_("Du deltar inte i kvalitetsarbetet för enheten."))
    if first > today:
        raise ValidationError({"period": _("Perioden har inte börjat.")})
    if AuditRun.objects.filter(plan=plan, period_first=first).exists():
        raise ValidationError({"period": _("Det finns redan en omgång för perioden.")})
    return _plan_run(plan, first, last, by=by)


def purpose_text(run: AuditRun) -> str:
    return str(
        _("Egenkontroll: %(title)s, %(first)s–%(last)s")
        % {
            "title": run.plan.title,
            "first": run.period_first.isoformat(),
            "last": run.period_last.isoformat(),
        }
    )[:500]


@transaction.atomic
def start_run(
    run: AuditRun, *, by: User, now: dt.datetime | None = None, seed: int | None = None
) -> AuditRun:
    """In progress: the records are read under a stated audit purpose (logged); a manual run
    draws its sample with a stored seed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = AuditRun.objects.select_for_update().select_related("plan__unit").get(pk=run.pk)
    plan = run.plan
    if run.status != RunStatus.PLANNED:
        raise ValidationError(_("Omgången är redan påbörjad."))
    if not _takes_part(by, plan.unit_id, today):
        raise ValidationError(_("Du deltar inte i kvalitetsarbetet för enheten."))
    if rules.independence_forbids(by.pk, plan.unit_id, today):
        raise ValidationError(
            _("Nämnden har beslutat att en kvalitetsutvecklare inte granskar sin egen enhet.")
        )
    run.purpose = purpose_text(run)
    if _is_quality_developer(by, plan.unit_id, today) and not _is_unit_head(
        by, plan.unit_id, today
    ):
        state_audit_purpose(user=by, unit=plan.unit, purpose=run.purpose, now=now)
    if plan.method == Method.MANUAL:
        population = checks.manual_population(plan.unit_id, run.period_first, run.period_last)
        run.seed = seed if seed is not None else checks.new_seed()
        run.sample = checks.draw_sample(population, plan.sample_size or 0, run.seed)
        run.population_size = len(population)
    run.status = RunStatus.IN_PROGRESS
    run.started_by = by
    run.started_at = now
    run.save()
    record_change(by, "quality.run.started", run, {"status": ("planerad", "pagar")})
    return run


@transaction.atomic
def answer_record(
    run: AuditRun,
    record_id: int,
    answers: list[tuple[str, str]],
    *,
    by: User,
) -> None:
    """A manual run's answers (yes / no / not applicable + note) for one sampled record."""
    run = AuditRun.objects.select_for_update().select_related("plan").get(pk=run.pk)
    if run.status != RunStatus.IN_PROGRESS:
        raise ValidationError(_("Omgången är inte pågående."))
    if record_id not in run.sample:
        raise ValidationError(_("Posten ingår inte i stickprovet."))
    if len(answers) != len(run.plan.checklist):
        raise ValidationError(_("Besvara varje fråga i checklistan."))
    errors = {}
    for index, (answer, _note) in enumerate(answers):
        if answer not in Answer.values:
            errors[f"q{index}"] = _("Välj ja, nej eller ej aktuellt.")
    if errors:
        raise ValidationError(errors)
    for index, (answer, note) in enumerate(answers):
        ChecklistAnswer.objects.update_or_create(
            run=run,
            record_id=record_id,
            question=index,
            defaults={"answer": answer, "note": note, "answered_by": by},
        )
    record_change(by, "quality.run.answered", run, {"record": (None, record_id)})


def _manual_result(run: AuditRun) -> checks.Result:
    questions = len(run.plan.checklist)
    by_record: dict[int, list[str]] = {}
    for record_id, answer in run.answers.values_list("record_id", "answer"):
        by_record.setdefault(record_id, []).append(answer)
    missing = [r for r in run.sample if len(by_record.get(r, [])) < questions]
    if missing:
        raise ValidationError(
            _("%(count)s poster i stickprovet är inte granskade ännu.") % {"count": len(missing)}
        )
    result = checks.Result(population=run.population_size or 0)
    for record_id in run.sample:
        answers = by_record[record_id]
        if all(a == Answer.NOT_APPLICABLE for a in answers):
            continue
        result.counted += 1
        if Answer.NO in answers:
            result.failing.append({"type": checks.TRACK, "id": record_id, "kind": "checklista"})
        else:
            result.passed += 1
    return result


@transaction.atomic
def finish_run(run: AuditRun, *, by: User, today: dt.date | None = None) -> AuditRun:
    """Done: share, n and the failing records. A released plan whose computed result is under
    its target is flagged again; otherwise the next period's run is planned."""
    today = _today(today)
    run = AuditRun.objects.select_for_update().select_related("plan").get(pk=run.pk)
    plan = AuditPlan.objects.select_for_update().get(pk=run.plan_id)
    if run.status != RunStatus.IN_PROGRESS:
        raise ValidationError(_("Omgången är inte pågående."))
    if plan.method == Method.COMPUTED:
        result = checks.compute(
            plan.computed_check, plan.unit_id, run.period_first, run.period_last, today
        )
        run.population_size = result.population
    else:
        result = _manual_result(run)
    run.counted = result.counted
    run.passed = result.passed
    run.share_percent = result.share_percent
    run.failing = result.failing
    run.status = RunStatus.DONE
    run.done_by = by
    run.done_on = today
    run.save()
    complete_due(run, AUDIT_RUN, on=today)
    record_change(
        by,
        "quality.run.done",
        run,
        {"status": ("pagar", "klar"), "share_percent": (None, run.share_percent)},
    )
    released = plan.status == PlanStatus.RELEASED
    if plan.method == Method.COMPUTED and rules.flags_again(
        released, run.share_percent, plan.target_percent
    ):
        plan.status = PlanStatus.ADOPTED
        plan.flagged_on = today
        plan.save()
        record_change(by, "quality.plan.flagged", plan, {"status": ("slappt", "faststalld")})
        released = False
    if not released:
        first, last = rules.next_period(run.period_last, plan.interval_months)
        if first <= today + dt.timedelta(days=366):
            _plan_run(plan, first, last, by=by)
    return run


@transaction.atomic
def review_run(run: AuditRun, *, note: str, by: User, today: dt.date | None = None) -> AuditRun:
    today = _today(today)
    run = AuditRun.objects.select_for_update().select_related("plan").get(pk=run.pk)
    if not _is_unit_head(by, run.plan.unit_id, today):
        raise ValidationError(_("Bara enhetschefen för enheten granskar omgången."))
    if run.status != RunStatus.DONE:
        raise ValidationError(_("Bara en klar omgång kan granskas."))
    run.status = RunStatus.REVIEWED
    run.reviewed_by = by
    run.reviewed_on = today
    run.review_note = note
    run.save()
    record_change(by, "quality.run.reviewed", run, {"status": ("klar", "granskad")})
    return run


def finished_shares(plan: AuditPlan) -> list[Decimal | None]:
    return list(
        plan.runs.filter(status__in=[RunStatus.DONE, RunStatus.REVIEWED])
        .order_by("period_first")
        .values_list("share_percent", flat=True)
    )


def may_release(plan: AuditPlan) -> bool:
    return plan.status == PlanStatus.ADOPTED and rules.target_met_in_a_row(
        finished_shares(plan), plan.target_percent, rules.release_runs()
    )


@transaction.atomic
def release_plan(
    plan: AuditPlan, *, reason: str, by: User, today: dt.date | None = None
) -> AuditPlan:
    """The target met in N runs in a row: the unit head releases the plan (the check moves on);
    planned runs not yet started are dropped."""
    today = _today(today)
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    errors: dict[str, str] = {}
    if not _is_unit_head(by, plan.unit_id, today):
        errors["__all__"] = _("Bara enhetschefen för enheten kan släppa kontrollen.")
    elif not may_release(plan):
        errors["__all__"] = _(
            "Målet måste ha nåtts i %(n)s omgångar i rad innan kontrollen kan släppas."
        ) % {"n": rules.release_runs()}
    if not reason.strip():
        errors["reason"] = _("Ange skälet till att kontrollen släpps.")
    if errors:
        raise ValidationError(errors)
    for run in plan.runs.filter(status=RunStatus.PLANNED):
        cancel_due(run, AUDIT_RUN)
        run.delete()
    plan.status = PlanStatus.RELEASED
    plan.released_by = by
    plan.released_on = today
    plan.release_reason = reason
    plan.flagged_on = None
    plan.save()
    record_change(by, "quality.plan.released", plan, {"status": ("faststalld", "slappt")})
    return plan


# --- 4. The action plan --------------------------------------------------------------------------


@transaction.atomic
def record_deficiency(
    unit: Unit,
    *,
    title: str,
    severity: str,
    source_type: str,
    by: User,
    description: str = "",
    source_run: AuditRun | None = None,
    source: Any = None,
    source_reference: str = "",
    today: dt.date | None = None,
) -> Deficiency:
    today = _today(today)
    errors = _required({"title": title, "severity": severity, "source_type": source_type})
    if source_type and source_type not in SourceType.values:
        errors["source_type"] = _("Välj en källa i listan.")
    if source_run is not None:
        if source_run.plan.unit_id != unit.pk:
            errors["source_run"] = _("Omgången gäller en annan enhet.")
        elif source_run.status not in (RunStatus.DONE, RunStatus.REVIEWED):
            errors["source_run"] = _("Omgången är inte klar.")
    if not _takes_part(by, unit.pk, today):
        errors["__all__"] = _("Du deltar inte i kvalitetsarbetet för enheten.")
    if errors:
        raise ValidationError(errors)
    deficiency = Deficiency(
        unit=unit,
        title=title,
        description=description,
        severity=severity,
        source_type=source_type,
        source_run=source_run,
        source_reference=source_reference,
        recorded_by=by,
        recorded_on=today,
    )
    if source is not None:
        from django.contrib.contenttypes.models import ContentType

        deficiency.source_content_type = ContentType.objects.get_for_model(source)
        deficiency.source_object_id = source.pk
    deficiency.save()
    record_change(by, "quality.deficiency.recorded", deficiency)
    return deficiency


@transaction.atomic
def add_measure(
    deficiency: Deficiency,
    *,
    description: str,
    owner: User | None,
    due_on: dt.date | None,
    expected_effect: str,
    verification_method: str,
    by: User,
    today: dt.date | None = None,
) -> Measure:
    today = _today(today)
    errors = _required(
        {
            "description": description,
            "expected_effect": expected_effect,
            "verification_method": verification_method,
        }
    )
    if owner is None:
        errors["owner"] = _("En åtgärd måste ha en ansvarig.")
    if due_on is None:
        errors["due_on"] = _("En åtgärd måste ha ett datum då den ska vara klar.")
    elif due_on < today:
        errors["due_on"] = _("Datumet har redan passerats.")
    if deficiency.closed_on is not None:
        errors["__all__"] = _("Bristen är stängd.")
    elif not _takes_part(by, deficiency.unit_id, today):
        errors["__all__"] = _("Du deltar inte i kvalitetsarbetet för enheten.")
    if errors:
        raise ValidationError(errors)
    due_on = cast(dt.date, due_on)
    measure = Measure.objects.create(
        deficiency=deficiency,
        description=description,
        owner=cast("User", owner),
        due_on=due_on,
        expected_effect=expected_effect,
        verification_method=verification_method,
        created_on=today,
    )
    open_due(
        measure,
        MEASURE,
        due_on,
        unit=deficiency.unit,
        holder=owner,
        started_on=today,
        title=str(_("Åtgärd: %(text)s") % {"text": description})[:200],
    )
    record_change(by, "quality.measure.added", measure)
    return measure


def _locked_measure(measure: Measure) -> Measure:
    return Measure.objects.select_for_update().select_related("deficiency").get(pk=measure.pk)


def _set_status(measure: Measure, status: str, by: Actor, event: str) -> None:
    old = measure.status
    measure.status = status
    measure.save()
    record_change(by, event, measure, {"status": (old, status)})


@transaction.atomic
def start_measure(measure: Measure, *, by: User, today: dt.date | None = None) -> Measure:
    today = _today(today)
    measure = _locked_measure(measure)
    if measure.status != MeasureStatus.PLANNED:
        raise ValidationError(_("Bara en planerad åtgärd kan påbörjas."))
    if by.pk != measure.owner_id and not _takes_part(by, measure.deficiency.unit_id, today):
        raise ValidationError(_("Bara den ansvarige eller enhetens ledning kan påbörja åtgärden."))
    measure.started_on = today
    _set_status(measure, MeasureStatus.IN_PROGRESS, by, "quality.measure.started")
    return measure


@transaction.atomic
def mark_done(measure: Measure, *, note: str, by: User, today: dt.date | None = None) -> Measure:
    """Done, by the measure's owner."""
    today = _today(today)
    measure = _locked_measure(measure)
    errors: dict[str, str] = {}
    if by.pk != measure.owner_id:
        errors["__all__"] = _("Bara den ansvarige för åtgärden kan markera den som genomförd.")
    elif measure.status not in (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS):
        errors["__all__"] = _("Åtgärden är inte öppen.")
    if not note.strip():
        errors["note"] = _("Beskriv vad som gjordes.")
    if errors:
        raise ValidationError(errors)
    measure.done_on = today
    measure.done_note = note
    if measure.started_on is None:
        measure.started_on = today
    _set_status(measure, MeasureStatus.DONE, by, "quality.measure.done")
    complete_due(
        measure,
        MEASURE,
        on=today,
        late_reason=note if today > measure.due_on else "",
    )
    return measure


@transaction.atomic
def mark_not_done(
    measure: Measure, *, reason: str, by: User, today: dt.date | None = None
) -> Measure:
    today = _today(today)
    measure = _locked_measure(measure)
    errors: dict[str, str] = {}
    if by.pk != measure.owner_id and not _takes_part(by, measure.deficiency.unit_id, today):
        errors["__all__"] = _("Bara den ansvarige eller enhetens ledning kan ändra åtgärden.")
    elif measure.status not in (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS):
        errors["__all__"] = _("Åtgärden är inte öppen.")
    if not reason.strip():
        errors["reason"] = _("Ange skälet till att åtgärden inte genomfördes.")
    if errors:
        raise ValidationError(errors)
    measure.not_done_reason = reason
    _set_status(measure, MeasureStatus.NOT_DONE, by, "quality.measure.not_done")
    cancel_due(measure, MEASURE)
    return measure


@transaction.atomic
def verify_measure(
    measure: Measure,
    *,
    evidence: str,
    by: User,
    evidence_run: AuditRun | None = None,
    today: dt.date | None = None,
) -> Measure:
    """Verified by someone other than the owner, with evidence (e.g. a later run that met its
    target)."""
    today = _today(today)
    measure = _locked_measure(measure)
    problems = rules.verification_problems(
        owner_id=measure.owner_id,
        verifier_id=by.pk,
        status=measure.status,
        evidence=evidence,
        run_met_target=evidence_run.met_target if evidence_run is not None else None,
    )
    if "__all__" not in problems and not _takes_part(by, measure.deficiency.unit_id, today):
        problems["__all__"] = _("Bara enhetens ledning eller kvalitetsutvecklare kan verifiera.")
    if evidence_run is not None and evidence_run.plan.unit_id != measure.deficiency.unit_id:
        problems["evidence_run"] = _("Omgången gäller en annan enhet.")
    if problems:
        raise ValidationError(problems)
    measure.verified_by = by
    measure.verified_on = today
    measure.evidence = evidence
    measure.evidence_run = evidence_run
    _set_status(measure, MeasureStatus.VERIFIED, by, "quality.measure.verified")
    return measure


@transaction.atomic
def close_measure(measure: Measure, *, by: User, today: dt.date | None = None) -> Measure:
    """Closed after verification (or after "not done" with its reason); a deficiency whose
    measures are all closed is closed too."""
    today = _today(today)
    measure = _locked_measure(measure)
    if measure.status not in (MeasureStatus.VERIFIED, MeasureStatus.NOT_DONE):
        raise ValidationError(_("Bara en verifierad eller inte genomförd åtgärd kan stängas."))
    if not _takes_part(by, measure.deficiency.unit_id, today):
        raise ValidationError(_("Bara enhetens ledning eller kvalitetsutvecklare kan stänga."))
    measure.closed_on = today
    _set_status(measure, MeasureStatus.CLOSED, by, "quality.measure.closed")
    deficiency = Deficiency.objects.select_for_update().get(pk=measure.deficiency_id)
    if not deficiency.measures.exclude(status=MeasureStatus.CLOSED).exists():
        deficiency.closed_on = today
        deficiency.save()
        record_change(by, "quality.deficiency.closed", deficiency, {"closed_on": (None, today)})
    return measure


# --- 5. Board reports ---------------------------------------------------------------------------


@transaction.atomic
def make_board_report(
    board: Board,
    *,
    meeting_on: dt.date | None,
    period_first: dt.date | None,
    period_last: dt.date | None,
    by: User,
    now: dt.datetime | None = None,
) -> BoardReport:
    from tillit.quality import boardreport

    now = now or timezone.now()
    errors = _required(
        {"meeting_on": meeting_on, "period_first": period_first, "period_last": period_last}
    )
    if period_first and period_last and period_last < period_first:
        errors["period_last"] = _("Periodens slut ligger före dess början.")
    if errors:
        raise ValidationError(errors)
    meeting_on, period_first, period_last = (
        cast(dt.date, meeting_on),
        cast(dt.date, period_first),
        cast(dt.date, period_last),
    )
    previous = BoardReport.objects.filter(board=board).order_by("-made_at").first()
    report = BoardReport(
        board=board,
        meeting_on=meeting_on,
        period_first=period_first,
        period_last=period_last,
        previous=previous,
        made_by=by,
        made_at=now,
    )
    report.content = boardreport.build(report, today=timezone.localdate(now))
    report.save()
    record_change(by, "quality.board_report.made", report)
    return report


# --- 7. The yearly quality report ---------------------------------------------------------------


@transaction.atomic
def draft_quality_report(
    *,
    year: int,
    by: User,
    unit: Unit | None = None,
    board: Board | None = None,
    now: dt.datetime | None = None,
) -> QualityReport:
    from tillit.quality import sections

    now = now or timezone.now()
    if (unit is None) == (board is None):
        raise ValidationError(_("Välj en enhet eller en nämnd."))
    if not (2000 <= year <= timezone.localdate(now).year):
        raise ValidationError({"year": _("Välj ett år som har börjat.")})
    if QualityReport.objects.filter(year=year, unit=unit, board=board).exists():
        raise ValidationError({"year": _("Det finns redan en kvalitetsberättelse för året.")})
    report = QualityReport(year=year, unit=unit, board=board, drafted_by=by, snapshot_at=now)
    report.snapshot = sections.snapshot(report, today=timezone.localdate(now))
    report.save()
    record_change(by, "quality.quality_report.drafted", report)
    return report


def _locked_report(report: QualityReport) -> QualityReport:
    return QualityReport.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def refresh_snapshot(
    report: QualityReport, *, by: User, now: dt.datetime | None = None
) -> QualityReport:
    """Freeze the numbers anew (only while a draft)."""
    from tillit.quality import sections

    now = now or timezone.now()
    report = _locked_report(report)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("Siffrorna är frysta: berättelsen är inte längre ett utkast."))
    report.snapshot_at = now
    report.snapshot = sections.snapshot(report, today=timezone.localdate(now))
    report.save()
    record_change(by, "quality.quality_report.refreshed", report)
    return report


@transaction.atomic
def edit_texts(report: QualityReport, texts: dict[str, str], *, by: User) -> QualityReport:
    report = _locked_report(report)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("Bara ett utkast kan ändras."))
    before = dict(report.texts)
    report.texts = {k: v for k, v in texts.items() if v.strip()}
    report.save()
    changed = {
        k: (before.get(k, ""), report.texts.get(k, ""))
        for k in set(before) | set(report.texts)
        if before.get(k, "") != report.texts.get(k, "")
    }
    record_change(by, "quality.quality_report.edited", report, changed)
    return report


_NEXT = {
    ReportStatus.DRAFT: ReportStatus.REVIEWED,
    ReportStatus.REVIEWED: ReportStatus.ADOPTED,
    ReportStatus.ADOPTED: ReportStatus.REPORTED,
}


@transaction.atomic
def advance_quality_report(
    report: QualityReport, *, by: User, today: dt.date | None = None
) -> QualityReport:
    """draft → reviewed → adopted → reported to the board."""
    today = _today(today)
    report = _locked_report(report)
    following = _NEXT.get(ReportStatus(report.status))
    if following is None:
        raise ValidationError(_("Berättelsen är redan rapporterad till nämnden."))
    if following == ReportStatus.REVIEWED and by.pk == report.drafted_by_id:
        raise ValidationError(_("Berättelsen granskas av någon annan än den som upprättat den."))
    old = report.status
    report.status = following
    if following == ReportStatus.REVIEWED:
        report.reviewed_by, report.reviewed_on = by, today
    elif following == ReportStatus.ADOPTED:
        report.adopted_by, report.adopted_on = by, today
    else:
        report.reported_on = today
    report.save()
    record_change(by, "quality.quality_report.status", report, {"status": (old, following)})
    return report
