"""The quality pages: thin views over `actions`, guarded by `rules` and the access policy.

A self-audit run shows records (by id and date, never a name): each shown record is a read
under the run's stated audit purpose and is written to the access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed
from tillit.access.policy import Basis, Viewer
from tillit.access.reading import staff_user, viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.children.models import Investigation, ReportedChild
from tillit.form_errors import apply_errors
from tillit.organisation.models import Process, Unit
from tillit.quality import actions, documents, rules
from tillit.quality.forms import (
    AdoptForm,
    BoardReportForm,
    ChecklistForm,
    DeficiencyForm,
    DoneForm,
    MeasureForm,
    NoteForm,
    PeriodForm,
    PlanForm,
    QualityReportForm,
    ReasonForm,
    RoutineForm,
    TextsForm,
    VerifyForm,
    VersionTextForm,
    staff_in,
)
from tillit.quality.models import (
    OPEN_MEASURE,
    AuditPlan,
    AuditRun,
    BoardReport,
    Deficiency,
    Measure,
    MeasureStatus,
    Method,
    PlanStatus,
    QualityReport,
    ReportStatus,
    Routine,
    RoutineStatus,
    RunStatus,
)

PAGE_SIZE = 25


def _uses_quality(viewer: Viewer) -> bool:
    return rules.may_use_quality(viewer)


def _works_in_units(viewer: Viewer) -> bool:
    return bool(rules.quality_unit_ids(viewer))


def _opens_measures(viewer: Viewer) -> bool:
    return _works_in_units(viewer) or rules.holds_a_measure(viewer)


def _opens_routines(viewer: Viewer) -> bool:
    return _uses_quality(viewer) or rules.owns_a_routine(viewer)


def _makes_board_reports(viewer: Viewer) -> bool:
    return rules.may_make_board_reports(viewer)


def _units(request: HttpRequest) -> set[int]:
    return rules.quality_unit_ids(viewer_for(request))


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("sida"))


def _svg(chart: dict[str, Any]) -> str:
    return mark_safe(documents.chart_svg(chart))  # noqa: S308 - built here, every text escaped


# --- Start --------------------------------------------------------------------------------------


@allowed(_uses_quality)
def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    unit_ids = rules.quality_unit_ids(viewer)
    plans = (
        AuditPlan.objects.filter(unit_id__in=unit_ids)
        .select_related("unit")
        .order_by("unit__name", "title")
    )
    due_runs = (
        AuditRun.objects.filter(
            plan__unit_id__in=unit_ids, status__in=[RunStatus.PLANNED, RunStatus.IN_PROGRESS]
        )
        .select_related("plan__unit")
        .order_by("period_last")[:PAGE_SIZE]
    )
    to_review = AuditRun.objects.filter(
        plan__unit_id__in=viewer.head_unit_ids, status=RunStatus.DONE
    ).select_related("plan__unit")
    my_measures = (
        Measure.objects.filter(owner=viewer.user, status__in=OPEN_MEASURE)
        .select_related("deficiency__unit")
        .order_by("due_on")
    )
    to_verify = (
        Measure.objects.filter(deficiency__unit_id__in=unit_ids, status=MeasureStatus.DONE)
        .exclude(owner=viewer.user)
        .select_related("deficiency__unit")
    )
    return render(
        request,
        "quality/home.html",
        {
            "plans": plans[:PAGE_SIZE],
            "due_runs": due_runs,
            "to_review": to_review,
            "my_measures": my_measures,
            "to_verify": to_verify,
            "works_in_units": bool(unit_ids),
            "makes_board_reports": rules.may_make_board_reports(viewer),
        },
    )


# --- Self-audits -------------------------------------------------------------------------------


@allowed(_works_in_units)
def plans(request: HttpRequest) -> HttpResponse:
    found = (
        AuditPlan.objects.filter(unit_id__in=_units(request))
        .select_related("unit", "holder")
        .order_by("unit__name", "title")
    )
    return render(request, "quality/plans.html", {"page": _page(request, found)})


@allowed(_works_in_units)
def plan_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    form = PlanForm(request.POST or None, unit_ids=_units(request), today=viewer.today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.create_plan(
                data["unit"],
                actions.PlanData(
                    title=data["title"],
                    population=data["population"],
                    method=data["method"],
                    check=data.get("check") or "",
                    checklist=(data.get("checklist") or "").splitlines(),
                    sample_size=data.get("sample_size"),
                    interval_months=data["interval_months"],
                    holder=data["holder"],
                    target_percent=data["target_percent"],
                    legal_reference=data["legal_reference"],
                ),
                by=staff_user(request),
                today=viewer.today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Egenkontrollen är sparad som utkast."))
            return redirect("quality:plan", plan_id=made.pk)
    return render(
        request,
        "quality/form.html",
        {"form": form, "title": _("Ny egenkontroll")},
        status=400 if form.errors else 200,
    )


def _plan_for(request: HttpRequest, plan_id: int) -> AuditPlan:
    plan = AuditPlan.objects.select_related("unit", "holder").filter(pk=plan_id).first()
    if plan is None or plan.unit_id not in _units(request):
        raise Http404
    return plan


def plan_chart(plan: AuditPlan) -> dict[str, Any]:
    runs = plan.runs.filter(status__in=[RunStatus.DONE, RunStatus.REVIEWED]).order_by(
        "period_first"
    )
    return {
        "title": plan.title,
        "points": [
            [
                f"{r.period_first:%Y-%m}",
                str(r.share_percent) if r.share_percent is not None else None,
            ]
            for r in runs
        ],
        "target": str(plan.target_percent),
    }


@allowed(_works_in_units)
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = _plan_for(request, plan_id)
    user = staff_user(request)
    release_form = ReasonForm(None)
    period_form = PeriodForm(None)
    status = 200
    if request.method == "POST":
        do = request.POST.get("do")
        try:
            if do == "adopt":
                actions.adopt_plan(found, by=user, today=viewer.today)
                messages.success(request, _("Planen är fastställd."))
                return redirect("quality:plan", plan_id=found.pk)
            if do == "release":
                release_form = ReasonForm(request.POST)
                release_form.is_valid()
                actions.release_plan(
                    found,
                    reason=release_form.cleaned_data.get("reason", ""),
                    by=user,
                    today=viewer.today,
                )
                messages.success(request, _("Kontrollen är släppt."))
                return redirect("quality:plan", plan_id=found.pk)
            if do == "run":
                period_form = PeriodForm(request.POST)
                if period_form.is_valid():
                    period = period_form.cleaned_data["period"]
                    made = actions.plan_run(
                        found, first=period.first, last=period.last, by=user, today=viewer.today
                    )
                    return redirect("quality:run", run_id=made.pk)
                status = 400
            else:
                raise Http404
        except ValidationError as error:
            target = release_form if do == "release" else period_form
            apply_errors(target, error)
            status = 400
    runs = found.runs.order_by("-period_first")
    return render(
        request,
        "quality/plan.html",
        {
            "plan": found,
            "runs": runs,
            "chart": _svg(plan_chart(found)),
            "is_head": found.unit_id in viewer.head_unit_ids,
            "may_release": actions.may_release(found),
            "release_runs": rules.release_runs(),
            "release_form": release_form,
            "period_form": period_form,
            "statuses": PlanStatus,
        },
        status=status,
    )


def _run_for(request: HttpRequest, run_id: int) -> AuditRun:
    run = AuditRun.objects.select_related("plan__unit").filter(pk=run_id).first()
    if run is None or run.plan.unit_id not in _units(request):
        viewer = viewer_for(request)
        record(
            actor=viewer.user,
            action=AccessAction.DENIED,
            reads=[
                Read(
                    individual_id=None,
                    basis=Basis.DENIED,
                    object_type="audit_run",
                    object_id=str(run_id),
                )
            ],
            request=request,
        )
        raise Http404
    return run


def _basis(viewer: Viewer, unit_id: int) -> Basis:
    return Basis.UNIT_HEAD if unit_id in viewer.head_unit_ids else Basis.AUDIT


def _log_records(
    request: HttpRequest, run: AuditRun, records: list[dict[str, Any]], action: AccessAction
) -> None:
    """Each record shown is a read under the run's purpose."""
    viewer = viewer_for(request)
    record(
        actor=viewer.user,
        action=action,
        reads=[
            Read(
                individual_id=r.get("individual"),
                basis=_basis(viewer, run.plan.unit_id),
                unit_id=run.plan.unit_id,
                purpose=run.purpose,
                object_type=f"egenkontroll_{r['type']}",
                object_id=str(r["id"]),
            )
            for r in records
        ],
        request=request,
    )


def _with_links(viewer: Viewer, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The failing records, each linked when the viewer reaches its case."""
    from django.urls import reverse

    track_ids = [r["id"] for r in records if r["type"] == "track"]
    investigation_ids = [r["id"] for r in records if r["type"] == "investigation"]
    track_case = dict(ReportedChild.objects.filter(pk__in=track_ids).values_list("pk", "case_id"))
    inv_case = dict(
        Investigation.objects.filter(pk__in=investigation_ids).values_list("pk", "case_id")
    )
    reachable = viewer.reachable_case_ids([*track_case.values(), *inv_case.values()])
    shown = []
    for r in records:
        case_id = (track_case if r["type"] == "track" else inv_case).get(r["id"])
        url = ""
        if case_id in reachable:
            name = "children:track" if r["type"] == "track" else "children:investigation"
            key = "track_id" if r["type"] == "track" else "investigation_id"
            url = reverse(name, kwargs={key: r["id"]})
        shown.append({**r, "url": url})
    return shown


@allowed(_works_in_units)
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = _run_for(request, run_id)
    user = staff_user(request)
    note_form = NoteForm(None)
    errors: list[str] = []
    if request.method == "POST":
        do = request.POST.get("do")
        try:
            if do == "start":
                actions.start_run(found, by=user)
                if found.plan.method == Method.COMPUTED:
                    actions.finish_run(found, by=user, today=viewer.today)
                    messages.success(request, _("Egenkontrollen är genomförd."))
                return redirect("quality:run", run_id=found.pk)
            if do == "finish":
                actions.finish_run(found, by=user, today=viewer.today)
                messages.success(request, _("Egenkontrollen är genomförd."))
                return redirect("quality:run", run_id=found.pk)
            if do == "review":
                note_form = NoteForm(request.POST)
                note_form.is_valid()
                actions.review_run(
                    found, note=note_form.cleaned_data.get("note", ""), by=user, today=viewer.today
                )
                messages.success(request, _("Omgången är granskad."))
                return redirect("quality:run", run_id=found.pk)
            raise Http404
        except ValidationError as error:
            errors = error.messages
        found.refresh_from_db()
    failing = _with_links(viewer, found.failing[:500])
    if failing:
        _log_records(request, found, failing, AccessAction.VIEW)
    sample: list[dict[str, Any]] = []
    if found.plan.method == Method.MANUAL and found.sample:
        counts = found.answers.values("record_id").annotate(n=Count("pk")).order_by()
        questions = len(found.plan.checklist)
        answered = {row["record_id"] for row in counts if row["n"] >= questions}
        sample = [{"id": pk, "answered": pk in answered} for pk in found.sample]
    return render(
        request,
        "quality/run.html",
        {
            "run": found,
            "plan": found.plan,
            "failing": failing,
            "more_failing": max(0, len(found.failing) - 500),
            "sample": sample,
            "errors": errors,
            "note_form": note_form,
            "is_head": found.plan.unit_id in viewer.head_unit_ids,
            "statuses": RunStatus,
        },
        status=400 if errors else 200,
    )


@allowed(_works_in_units)
def run_record(request: HttpRequest, run_id: int, record_id: int) -> HttpResponse:
    """One sampled record's checklist; opening it is a logged read under the run's purpose."""
    found = _run_for(request, run_id)
    if record_id not in found.sample:
        raise Http404
    track = ReportedChild.objects.select_related("report").get(pk=record_id)
    questions = found.plan.checklist
    initial = {}
    for answer in found.answers.filter(record_id=record_id):
        initial[f"q{answer.question}"] = answer.answer
        initial[f"note{answer.question}"] = answer.note
    form = ChecklistForm(request.POST or None, initial=initial, questions=questions)
    _log_records(
        request,
        found,
        [{"type": "track", "id": track.pk, "individual": track.individual_id}],
        AccessAction.CHANGE if request.method == "POST" else AccessAction.VIEW,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_record(
                found, record_id, form.answers(len(questions)), by=staff_user(request)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Svaren är sparade."))
            return redirect("quality:run", run_id=found.pk)
    reachable = viewer_for(request).reachable_case_ids([track.case_id])
    return render(
        request,
        "quality/run_record.html",
        {"run": found, "track": track, "form": form, "reachable": bool(reachable)},
        status=400 if form.errors else 200,
    )


# --- The action plan -----------------------------------------------------------------------------


@allowed(_works_in_units)
def deficiencies(request: HttpRequest) -> HttpResponse:
    show_closed = request.GET.get("visa") == "alla"
    found = Deficiency.objects.filter(unit_id__in=_units(request)).select_related("unit")
    if not show_closed:
        found = found.filter(closed_on__isnull=True)
    found = found.annotate(
        n_measures=Count("measures"),
        n_open=Count("measures", filter=Q(measures__status__in=OPEN_MEASURE)),
    ).order_by("-recorded_on", "-pk")
    return render(
        request,
        "quality/deficiencies.html",
        {"page": _page(request, found), "show_closed": show_closed},
    )


@allowed(_works_in_units)
def deficiency_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    source_run = None
    run_id = request.GET.get("omgang") or request.POST.get("omgang")
    if run_id and str(run_id).isdecimal() and len(str(run_id)) <= 12:
        source_run = _run_for(request, int(run_id))
    initial: dict[str, Any] = {}
    if source_run is not None:
        initial = {
            "unit": source_run.plan.unit_id,
            "source_type": "egenkontroll",
            "title": _("%(title)s: under målet") % {"title": source_run.plan.title},
            "description": _("Omgången %(first)s–%(last)s: %(share)s %% mot målet %(target)s %%.")
            % {
                "first": source_run.period_first.isoformat(),
                "last": source_run.period_last.isoformat(),
                "share": source_run.share_percent,
                "target": source_run.plan.target_percent,
            },
        }
    form = DeficiencyForm(request.POST or None, initial=initial, unit_ids=_units(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.record_deficiency(
                data["unit"],
                title=data["title"],
                description=data.get("description", ""),
                severity=data["severity"],
                source_type=data["source_type"],
                source_reference=data.get("source_reference", ""),
                source_run=source_run,
                by=staff_user(request),
                today=viewer.today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Bristen är registrerad."))
            return redirect("quality:deficiency", deficiency_id=made.pk)
    return render(
        request,
        "quality/form.html",
        {
            "form": form,
            "title": _("Registrera brist"),
            "hidden": {"omgang": source_run.pk} if source_run else {},
        },
        status=400 if form.errors else 200,
    )


def _deficiency_for(request: HttpRequest, deficiency_id: int) -> Deficiency:
    found = (
        Deficiency.objects.select_related("unit", "source_run__plan")
        .filter(pk=deficiency_id)
        .first()
    )
    if found is None or found.unit_id not in _units(request):
        raise Http404
    return found


@allowed(_works_in_units)
def deficiency(request: HttpRequest, deficiency_id: int) -> HttpResponse:
    found = _deficiency_for(request, deficiency_id)
    return render(
        request,
        "quality/deficiency.html",
        {
            "deficiency": found,
            "measures": found.measures.select_related("owner", "verified_by"),
        },
    )


@allowed(_works_in_units)
def measure_new(request: HttpRequest, deficiency_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = _deficiency_for(request, deficiency_id)
    form = MeasureForm(request.POST or None, unit_id=found.unit_id, today=viewer.today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.add_measure(
                found,
                description=data.get("description", ""),
                owner=data.get("owner"),
                due_on=data.get("due_on"),
                expected_effect=data.get("expected_effect", ""),
                verification_method=data.get("verification_method", ""),
                by=staff_user(request),
                today=viewer.today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Åtgärden är tillagd."))
            return redirect("quality:measure", measure_id=made.pk)
    return render(
        request,
        "quality/form.html",
        {"form": form, "title": _("Ny åtgärd"), "caption": found.title},
        status=400 if form.errors else 200,
    )


@allowed(_opens_measures)
def measure(request: HttpRequest, measure_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = (
        Measure.objects.select_related("deficiency__unit", "owner", "verified_by", "evidence_run")
        .filter(pk=measure_id)
        .first()
    )
    if found is None or not rules.may_open_measure(
        viewer, unit_id=found.deficiency.unit_id, owner_id=found.owner_id
    ):
        raise Http404
    takes_part = found.deficiency.unit_id in rules.quality_unit_ids(viewer)
    user = staff_user(request)
    done_form = DoneForm(None)
    not_done_form = ReasonForm(None, prefix="ej")
    verify_form = VerifyForm(None, unit_id=found.deficiency.unit_id)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        do = request.POST.get("do")
        try:
            if do == "start":
                actions.start_measure(found, by=user, today=viewer.today)
            elif do == "done":
                done_form = DoneForm(request.POST)
                done_form.is_valid()
                actions.mark_done(
                    found, note=done_form.cleaned_data.get("note", ""), by=user, today=viewer.today
                )
            elif do == "not_done":
                not_done_form = ReasonForm(request.POST, prefix="ej")
                not_done_form.is_valid()
                actions.mark_not_done(
                    found,
                    reason=not_done_form.cleaned_data.get("reason", ""),
                    by=user,
                    today=viewer.today,
                )
            elif do == "verify":
                verify_form = VerifyForm(request.POST, unit_id=found.deficiency.unit_id)
                if not verify_form.is_valid():
                    raise ValidationError(_("Rätta felen i formuläret."))
                actions.verify_measure(
                    found,
                    evidence=verify_form.cleaned_data.get("evidence", ""),
                    evidence_run=verify_form.cleaned_data.get("evidence_run"),
                    by=user,
                    today=viewer.today,
                )
            elif do == "close":
                actions.close_measure(found, by=user, today=viewer.today)
            else:
                raise Http404
        except ValidationError as error:
            target = {"done": done_form, "not_done": not_done_form, "verify": verify_form}.get(
                do or ""
            )
            if target is not None:
                apply_errors(target, error)
            else:
                errors = error.messages
            status = 400
        else:
            messages.success(request, _("Åtgärden är uppdaterad."))
            return redirect("quality:measure", measure_id=found.pk)
    is_owner = found.owner_id == user.pk
    open_ = found.status in OPEN_MEASURE
    return render(
        request,
        "quality/measure.html",
        {
            "measure": found,
            "errors": errors,
            "done_form": done_form,
            "not_done_form": not_done_form,
            "verify_form": verify_form,
            "may_start": found.status == MeasureStatus.PLANNED,
            "may_finish": open_ and is_owner,
            "may_give_up": open_,
            "may_verify": found.status == MeasureStatus.DONE and takes_part and not is_owner,
            "may_close": takes_part
            and found.status in (MeasureStatus.VERIFIED, MeasureStatus.NOT_DONE),
            "takes_part": takes_part,
        },
        status=status,
    )


# --- Board reports -------------------------------------------------------------------------------


@allowed(_uses_quality)
def board_reports(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    makes = rules.may_make_board_reports(viewer)
    form = BoardReportForm(request.POST or None) if makes else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = actions.make_board_report(
                    data["board"],
                    meeting_on=data["meeting_on"],
                    period_first=data["period_first"],
                    period_last=data["period_last"],
                    by=staff_user(request),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Rapporten är sammanställd."))
                return redirect("quality:board_report", report_id=made.pk)
    found = BoardReport.objects.select_related("board", "made_by")
    return render(
        request,
        "quality/board_reports.html",
        {"page": _page(request, found), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def _board_report(report_id: int) -> BoardReport:
    found = BoardReport.objects.select_related("board").filter(pk=report_id).first()
    if found is None:
        raise Http404
    return found


def _shown_sections(
    sections: list[dict[str, Any]], texts: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    shown = []
    for section in sections:
        data = section.get("data") or {}
        shown.append(
            {
                **section,
                "svgs": [_svg(chart) for chart in data.get("charts", [])],
                "text": (texts or {}).get(section["code"], ""),
            }
        )
    return shown


def _board_facts(report: BoardReport) -> list[tuple[str, str]]:
    return [
        (_("Nämnd"), report.board.name),
        (_("Sammanträde"), report.meeting_on.isoformat()),
        (_("Period"), f"{report.period_first.isoformat()} – {report.period_last.isoformat()}"),
        (_("Sammanställd"), timezone.localtime(report.made_at).strftime("%Y-%m-%d %H:%M")),
    ]


@allowed(_uses_quality)
def board_report(request: HttpRequest, report_id: int) -> HttpResponse:
    found = _board_report(report_id)
    return render(
        request,
        "quality/board_report.html",
        {
            "report": found,
            "facts": _board_facts(found),
            "sections": _shown_sections(found.content.get("sections", [])),
        },
    )


def _title(report: BoardReport) -> str:
    return _("Kvalitetsrapport till %(board)s %(date)s") % {
        "board": report.board.name,
        "date": report.meeting_on.isoformat(),
    }


@allowed(_uses_quality)
def board_report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    found = _board_report(report_id)
    body = documents.pdf(
        _title(found),
        _board_facts(found),
        found.content.get("sections", []),
        made_on=timezone.localdate(found.made_at),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="kvalitetsrapport-{found.meeting_on.isoformat()}.pdf"'
    )
    return response


@allowed(_uses_quality)
def board_report_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    found = _board_report(report_id)
    body = documents.xlsx(_board_facts(found), found.content.get("sections", []))
    response = HttpResponse(body, content_type=documents.XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="kvalitetsrapport-{found.meeting_on.isoformat()}.xlsx"'
    )
    return response


# --- Quality reports -------------------------------------------------------------------------


def _may_see_quality_report(viewer: Viewer, report: QualityReport) -> bool:
    if report.unit_id is not None:
        return report.unit_id in rules.quality_unit_ids(viewer) or viewer.sees_municipal_figures
    return True


@allowed(_uses_quality)
def quality_reports(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    unit_ids = rules.quality_unit_ids(viewer)
    form = QualityReportForm(request.POST or None, unit_ids=unit_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.draft_quality_report(
                year=data["year"],
                unit=data.get("unit"),
                board=data.get("board"),
                by=staff_user(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Utkastet är upprättat."))
            return redirect("quality:quality_report", quality_report_id=made.pk)
    found = QualityReport.objects.select_related("unit", "board")
    if not viewer.sees_municipal_figures:
        found = found.filter(Q(unit_id__in=unit_ids) | Q(unit__isnull=True))
    return render(
        request,
        "quality/quality_reports.html",
        {"page": _page(request, found), "form": form},
        status=400 if form.errors else 200,
    )


def _quality_report(request: HttpRequest, report_id: int) -> QualityReport:
    found = QualityReport.objects.select_related("unit", "board").filter(pk=report_id).first()
    if found is None or not _may_see_quality_report(viewer_for(request), found):
        raise Http404
    return found


def _quality_facts(report: QualityReport) -> list[tuple[str, str]]:
    return [
        (_("År"), str(report.year)),
        (_("Avser"), str(report.unit or report.board)),
        (_("Status"), str(ReportStatus(report.status).label)),
        (
            _("Siffror per"),
            timezone.localtime(report.snapshot_at).strftime("%Y-%m-%d %H:%M"),
        ),
    ]


@allowed(_uses_quality)
def quality_report(request: HttpRequest, quality_report_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = _quality_report(request, quality_report_id)
    sections = found.snapshot.get("sections", [])
    texts_form = TextsForm(None, initial=found.texts, sections=sections)
    errors: list[str] = []
    works = bool(rules.quality_unit_ids(viewer))
    if request.method == "POST":
        if not works:
            raise Http404
        do = request.POST.get("do")
        user = staff_user(request)
        try:
            if do == "texts":
                texts_form = TextsForm(request.POST, sections=sections)
                if texts_form.is_valid():
                    actions.edit_texts(
                        found, {k: v or "" for k, v in texts_form.cleaned_data.items()}, by=user
                    )
            elif do == "advance":
                actions.advance_quality_report(found, by=user, today=viewer.today)
            elif do == "refresh":
                actions.refresh_snapshot(found, by=user)
            else:
                raise Http404
        except ValidationError as error:
            errors = error.messages
        else:
            if not texts_form.errors:
                messages.success(request, _("Kvalitetsberättelsen är uppdaterad."))
                return redirect("quality:quality_report", quality_report_id=found.pk)
    next_label = {
        ReportStatus.DRAFT: _("Markera som granskad"),
        ReportStatus.REVIEWED: _("Fastställ"),
        ReportStatus.ADOPTED: _("Markera som rapporterad till nämnden"),
    }.get(ReportStatus(found.status))
    return render(
        request,
        "quality/quality_report.html",
        {
            "report": found,
            "facts": _quality_facts(found),
            "sections": _shown_sections(sections, found.texts),
            "texts_form": texts_form,
            "errors": errors,
            "may_edit": works and found.status == ReportStatus.DRAFT,
            "next_label": next_label if works else None,
        },
        status=400 if errors or texts_form.errors else 200,
    )


@allowed(_uses_quality)
def quality_report_pdf(request: HttpRequest, quality_report_id: int) -> HttpResponse:
    found = _quality_report(request, quality_report_id)
    body = documents.pdf(
        str(found),
        _quality_facts(found),
        found.snapshot.get("sections", []),
        made_on=timezone.localdate(found.snapshot_at),
        texts=found.texts,
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kvalitetsberattelse-{found.year}.pdf"'
    return response


@allowed(_uses_quality)
def quality_report_xlsx(request: HttpRequest, quality_report_id: int) -> HttpResponse:
    found = _quality_report(request, quality_report_id)
    body = documents.xlsx(
        _quality_facts(found), found.snapshot.get("sections", []), texts=found.texts
    )
    response = HttpResponse(body, content_type=documents.XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="kvalitetsberattelse-{found.year}-bilaga.xlsx"'
    )
    return response


# --- Processes and routines -------------------------------------------------------------------


@allowed(_uses_quality)
def processes(request: HttpRequest) -> HttpResponse:
    found = Process.objects.select_related("owner").prefetch_related(
        "steps__legal_rule", "steps__responsible_group", "routines__versions"
    )
    return render(
        request,
        "quality/processes.html",
        {"processes": found, "works_in_units": bool(_units(request))},
    )


@allowed(_uses_quality)
def handbook_pdf(request: HttpRequest, process_id: int) -> HttpResponse:
    from tillit.quality.handbook import handbook

    found = Process.objects.filter(pk=process_id).first()
    if found is None:
        raise Http404
    response = HttpResponse(
        handbook(found, made_on=viewer_for(request).today), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="processhandbok-{found.pk}.pdf"'
    return response


@allowed(_works_in_units)
def routine_new(request: HttpRequest, process_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = Process.objects.filter(pk=process_id).first()
    if found is None:
        raise Http404
    unit_ids = set(Unit.objects.filter(process=found).values_list("pk", flat=True))
    form = RoutineForm(request.POST or None, users=staff_in(unit_ids, viewer.today))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = actions.create_routine(
                found,
                title=data["title"],
                owner=data.get("owner"),
                who=data["who"],
                why=data["why"],
                how=data["how"],
                by=staff_user(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Rutinen är sparad som utkast."))
            return redirect("quality:routine", routine_id=version.routine_id)
    return render(
        request,
        "quality/form.html",
        {"form": form, "title": _("Ny rutin"), "caption": found.name},
        status=400 if form.errors else 200,
    )


@allowed(_opens_routines)
def routine(request: HttpRequest, routine_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = Routine.objects.select_related("process", "owner").filter(pk=routine_id).first()
    if found is None or not rules.may_open_routine(viewer, owner_id=found.owner_id):
        raise Http404
    versions = list(found.versions.select_related("adopted_by"))
    draft = next((v for v in versions if v.status == RoutineStatus.DRAFT), None)
    text_form = VersionTextForm(
        None, initial={"who": draft.who, "why": draft.why, "how": draft.how} if draft else None
    )
    adopt_form = AdoptForm(None)
    errors: list[str] = []
    works = bool(rules.quality_unit_ids(viewer))
    drafts = rules.may_draft_routine(viewer, owner_id=found.owner_id)
    if request.method == "POST":
        do = request.POST.get("do")
        if not drafts or (do == "adopt" and not works):
            raise Http404
        user = staff_user(request)
        try:
            if do == "new_version":
                actions.new_version(found, by=user)
            elif do == "edit" and draft is not None:
                text_form = VersionTextForm(request.POST)
                if not text_form.is_valid():
                    raise ValidationError(_("Rätta felen i formuläret."))
                actions.edit_draft(draft, by=user, **text_form.cleaned_data)
            elif do == "adopt" and draft is not None:
                adopt_form = AdoptForm(request.POST)
                adopt_form.is_valid()
                actions.adopt_version(
                    draft,
                    valid_from=adopt_form.cleaned_data.get("valid_from"),
                    review_on=adopt_form.cleaned_data.get("review_on"),
                    by=user,
                    today=viewer.today,
                )
            else:
                raise Http404
        except ValidationError as error:
            if do == "adopt":
                apply_errors(adopt_form, error)
            elif do == "edit" and not text_form.errors:
                apply_errors(text_form, error)
            elif do != "edit":
                errors = error.messages
        else:
            messages.success(request, _("Rutinen är uppdaterad."))
            return redirect("quality:routine", routine_id=found.pk)
    return render(
        request,
        "quality/routine.html",
        {
            "routine": found,
            "versions": versions,
            "draft": draft,
            "text_form": text_form,
            "adopt_form": adopt_form,
            "errors": errors,
            "works": works,
            "drafts": drafts,
        },
        status=400 if errors or adopt_form.errors or text_form.errors else 200,
    )
