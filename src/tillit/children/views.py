"""Pages for a child's report, its assessments, the investigation and the interventions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.access.decorators import allowed, logged_in
from tillit.access.policy import Viewer
from tillit.access.reading import read_list, staff_user, viewer_for
from tillit.audit.models import AccessAction
from tillit.children import actions, importing
from tillit.children.forms import (
    MAX_CHILDREN,
    ChildForm,
    CloseForm,
    ExtensionForm,
    FollowUpForm,
    ImportForm,
    InitialForm,
    InterventionForm,
    InvestigationExtensionForm,
    ProtectiveForm,
    ReportForm,
    RiskForm,
    content_type_of,
)
from tillit.children.models import (
    Deadline,
    FollowUp,
    InitialAssessment,
    Investigation,
    ProtectiveAssessment,
    ReportAttachment,
    ReportedChild,
    ReportImport,
    RiskAssessment,
    RiskChecklist,
)
from tillit.children.models.assessments import Answer
from tillit.children.reading import read_investigation, read_track
from tillit.children.status import deadline_rows
from tillit.deadlines.engine import on_call_responsible
from tillit.deadlines.models import unit_settings
from tillit.form_errors import apply_errors
from tillit.organisation.models import Group
from tillit.versioning import is_stale

ANSWER_LABELS = dict(Answer.choices)


def _registrars(viewer: Viewer) -> bool:
    return viewer.may_register_reports


def _own_groups(viewer: Viewer) -> Any:
    return Group.objects.filter(pk__in=viewer.worker_group_ids | viewer.head_group_ids)


# --- Registering a report -------------------------------------------------------------------------


CHILD_COUNT = "antal_barn"
ADD_CHILD = "lagg_till_barn"


def _child_count(data: Any) -> int:
    """How many child blocks the form shows: one at first, one more each time it is asked."""
    given = data.get(CHILD_COUNT, "")
    if given.isdecimal():  # not isdigit(): it passes "²", which int() refuses
        count = int(given) if len(given) <= 3 else MAX_CHILDREN
    else:  # a post without the count (the API's forms, older tests): the blocks it filled in
        numbers = [k.split("-")[1] for k in data if k.startswith("barn-")]
        used = [int(n) for n in numbers if n.isdecimal() and len(n) <= 3]
        count = max(used, default=0) + 1
    if ADD_CHILD in data:
        count += 1
    return max(1, min(count, MAX_CHILDREN))


def _as_initial(data: Any, form: Any) -> dict[str, Any]:
    """A posted form's values as the initial values of a fresh form (shown without errors)."""
    initial: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if key in data:
            many = isinstance(field, forms.MultipleChoiceField)
            initial[name] = data.getlist(key) if many else data.get(key)
    return initial


@allowed(_registrars)
def register_report(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    groups = _own_groups(viewer)
    bound = request.method == "POST"
    count = _child_count(request.POST) if bound else 1
    if bound and ADD_CHILD in request.POST:
        # "Lägg till ett barn": the same form again with one more block, values kept, no errors
        # (works without JavaScript). A browser cannot keep chosen files; the file field comes
        # after the children, so files are usually chosen once the children are in.
        form = ReportForm(groups=groups)
        form.initial.update(_as_initial(request.POST, form))
        children = []
        for i in range(count):
            child = ChildForm(prefix=f"barn-{i}")
            child.initial = _as_initial(request.POST, child)
            children.append(child)
        return render(
            request,
            "children/register.html",
            {"form": form, "children": children, "count": count, "max_children": MAX_CHILDREN},
        )
    form = ReportForm(request.POST or None, request.FILES or None, groups=groups)
    children = [ChildForm(request.POST or None, prefix=f"barn-{i}") for i in range(count)]
    if bound and form.is_valid() and all(c.is_valid() for c in children):
        refs = [
            actions.ChildRef(
                number=c.cleaned_data["personal_number"],
                first_name=c.cleaned_data["first_name"],
                last_name=c.cleaned_data["last_name"],
                date_of_birth=c.cleaned_data["date_of_birth"],
            )
            for c in children
            if not c.is_empty
        ]
        data = form.cleaned_data
        report_input = actions.ReportInput(
            group=data["group"],
            received_at=form.received_at(),
            channel=data["channel"],
            reporter_category=data["reporter_category"],
            reporter_has_duty=data["reporter_has_duty"],
            anonymous=data["anonymous"],
            reporter_name=data["reporter_name"],
            reporter_organisation=data["reporter_organisation"],
            reporter_phone=data["reporter_phone"],
            reporter_email=data["reporter_email"],
            withhold_reporter=data["withhold_reporter"],
            concerns=data["concerns"],
            description=data["description"],
            children=refs,
            holder=staff_user(request),
            submission_key=data["submission_key"],
            attachments=[
                actions.AttachmentInput(
                    file=upload,
                    name=upload.name or "",
                    content_type=content_type_of(upload),
                    size=upload.size or 0,
                )
                for upload in data["attachments"]
            ],
        )
        try:
            report = actions.register_report(report_input, by=staff_user(request))
        except ValidationError as error:
            apply_errors(form, error, {"received_at": "received_time", "children": "__all__"})
        else:
            messages.success(request, _("Anmälan är registrerad."))
            first = report.tracks.order_by("pk").first()
            if first is not None and len(refs) == 1:
                return redirect("children:track", track_id=first.pk)
            return redirect("children:report", report_id=report.pk)
    status = 400 if bound else 200
    return render(
        request,
        "children/register.html",
        {"form": form, "children": children, "count": count, "max_children": MAX_CHILDREN},
        status=status,
    )


@allowed(logged_in)
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    tracks = list(
        ReportedChild.objects.filter(report_id=report_id, case__in=viewer.cases())
        .select_related("report", "individual")
        .order_by("pk")
    )
    if not tracks:
        raise Http404
    cards = read_list(request, [t.individual for t in tracks], action=AccessAction.VIEW)
    report = tracks[0].report
    policy, on_call = unit_settings([report.unit_id])[report.unit_id]
    return render(
        request,
        "children/report.html",
        {
            "report": report,
            "tracks": list(zip(tracks, cards, strict=True)),
            "on_call": on_call if on_call_responsible(report.received_at, policy) else None,
        },
    )


@allowed(logged_in)
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    item = ReportAttachment.objects.filter(pk=attachment_id).select_related("report").first()
    tracks = item.report.tracks.order_by("pk") if item else ReportedChild.objects.none()
    # A report about siblings has a track per child, perhaps in different cases: read the
    # attachment through one the viewer reaches (the first track, for a logged 404, otherwise).
    track = tracks.filter(case__in=viewer_for(request).cases()).first() or tracks.first()
    if item is None or track is None:
        raise Http404
    read_track(request, track.pk, action=AccessAction.EXPORT)
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    return response


# --- One child's report ---------------------------------------------------------------------------


def _track_page(
    request: HttpRequest, track_id: int, status: int = 200, **bound: Any
) -> HttpResponse:
    track, reach, card = read_track(request, track_id)
    viewer = viewer_for(request)
    protective = ProtectiveAssessment.objects.filter(track=track).first()
    risk = RiskAssessment.objects.filter(track=track).select_related("checklist").first()
    initial = InitialAssessment.objects.filter(track=track).first()
    checklist = risk.checklist if risk else actions.current_checklist(viewer.today)
    questions = list(checklist.questions.all())
    risk_initial = {f"q_{k}": v for k, v in (risk.answers if risk else {}).items()}
    if risk:
        risk_initial.update(level=risk.level, notes=risk.notes, version=risk.version)
    groups = Group.objects.filter(unit_id=track.case.unit_id)
    earlier = actions.earlier_reports(track)
    investigation = getattr(track, "opened_investigation", None)
    attached_to = track.attached_to
    # Linked records live in their own cases: link only those the viewer may open.
    openable = viewer.reachable_case_ids(
        [
            *(other.case_id for other in earlier),
            investigation.case_id if investigation else None,
            attached_to.case_id if attached_to else None,
        ]
    )
    context = {
        "track": track,
        "report": track.report,
        "card": card,
        "reach": reach,
        "deadlines": deadline_rows(track.deadlines.all(), viewer.today),
        "earlier": earlier,
        "openable_case_ids": openable,
        "protective": protective,
        "risk": risk,
        "risk_answers": [
            (q, ANSWER_LABELS.get((risk.answers if risk else {}).get(q.code, ""), ""))
            for q in questions
        ],
        "initial": initial,
        "extensions": list(track.initial_extensions.all()),
        "investigation": investigation,
        "attached_to": attached_to,
        "protective_form": bound.get("protective_form") or ProtectiveForm(),
        "risk_form": bound.get("risk_form") or RiskForm(initial=risk_initial, questions=questions),
        "initial_form": bound.get("initial_form") or InitialForm(groups=groups),
        "extension_form": bound.get("extension_form") or ExtensionForm(),
    }
    return render(request, "children/track.html", context, status=status)


@allowed(logged_in)
def track_detail(request: HttpRequest, track_id: int) -> HttpResponse:
    return _track_page(request, track_id)


def _track_for_change(request: HttpRequest, track_id: int) -> ReportedChild:
    track, _reach, _card = read_track(request, track_id, action=AccessAction.CHANGE)
    return track


@require_POST
@allowed(logged_in)
def protective_assessment(request: HttpRequest, track_id: int) -> HttpResponse:
    track = _track_for_change(request, track_id)
    form = ProtectiveForm(request.POST)
    if form.is_valid():
        try:
            actions.record_protective_assessment(
                track,
                by=staff_user(request),
                assessed_at=form.assessed_at(),
                immediate_protection=form.cleaned_data["immediate_protection"],
                action_taken=form.cleaned_data["action_taken"],
                reasoning=form.cleaned_data["reasoning"],
                late_reason=form.cleaned_data["late_reason"],
            )
        except ValidationError as error:
            apply_errors(form, error, {"assessed_at": "assessed_time"})
        else:
            messages.success(request, _("Skyddsbedömningen är sparad."))
            return redirect("children:track", track_id=track.pk)
    return _track_page(request, track_id, 400, protective_form=form)


@require_POST
@allowed(logged_in)
def risk_assessment(request: HttpRequest, track_id: int) -> HttpResponse:
    track = _track_for_change(request, track_id)
    existing = RiskAssessment.objects.filter(track=track).select_related("checklist").first()
    checklist = (
        existing.checklist if existing else actions.current_checklist(viewer_for(request).today)
    )
    form = RiskForm(request.POST, questions=list(checklist.questions.all()))
    if form.is_valid():
        try:
            actions.record_risk_assessment(
                track,
                by=staff_user(request),
                answers=form.answers(),
                level=form.cleaned_data["level"],
                notes=form.cleaned_data["notes"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            if is_stale(error):
                newer = _newer(track, error, checklist)
                return _track_page(request, track_id, 409, risk_form=newer)
            apply_errors(form, error)
        else:
            messages.success(request, _("Riskbedömningen är sparad."))
            return redirect("children:track", track_id=track.pk)
    return _track_page(request, track_id, 400, risk_form=form)


def _newer(track: ReportedChild, error: ValidationError, checklist: RiskChecklist) -> RiskForm:
    """The form with the values saved since the page was loaded, and why the save was refused;
    an empty one when none are saved (the page named a version of an assessment not made)."""
    risk = RiskAssessment.objects.select_related("checklist").filter(track=track).first()
    initial: dict[str, Any] = {}
    if risk is not None:
        initial = {f"q_{k}": v for k, v in risk.answers.items()}
        initial.update(level=risk.level, notes=risk.notes, version=risk.version)
        checklist = risk.checklist
    form = RiskForm(initial=initial, questions=list(checklist.questions.all()))
    form.full_clean()  # an unbound form: lets the refusal sit on top of the newer values
    form.cleaned_data = {}
    apply_errors(form, error)
    return form


@require_POST
@allowed(logged_in)
def initial_assessment(request: HttpRequest, track_id: int) -> HttpResponse:
    track = _track_for_change(request, track_id)
    form = InitialForm(request.POST, groups=Group.objects.filter(unit_id=track.case.unit_id))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.decide_initial_assessment(
                track,
                actions.Decision(
                    decision=data["decision"],
                    decided_on=data["decided_on"],
                    reasons=data["reasons"],
                    transferred_to=data["transferred_to"],
                    late_reason=data["late_reason"],
                    scope=data["scope"],
                    investigation_group=data["investigation_group"],
                ),
                by=staff_user(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Förhandsbedömningen är beslutad."))
            return redirect("children:track", track_id=track.pk)
    return _track_page(request, track_id, 400, initial_form=form)


@require_POST
@allowed(logged_in)
def extend_initial(request: HttpRequest, track_id: int) -> HttpResponse:
    track = _track_for_change(request, track_id)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            actions.extend_initial_assessment(track, by=staff_user(request), **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Tidsgränsen är förlängd."))
            return redirect("children:track", track_id=track.pk)
    return _track_page(request, track_id, 400, extension_form=form)


# --- Investigation --------------------------------------------------------------------------------


def _investigation_page(
    request: HttpRequest, investigation_id: int, status: int = 200, **bound: Any
) -> HttpResponse:
    investigation, reach, card = read_investigation(request, investigation_id)
    viewer = viewer_for(request)
    reports = list(ReportedChild.objects.filter(attached_to=investigation).select_related("report"))
    context = {
        "investigation": investigation,
        "card": card,
        "reach": reach,
        "deadlines": deadline_rows(
            Deadline.objects.filter(investigation=investigation), viewer.today
        ),
        "extensions": list(investigation.extensions.all()),
        "interventions": list(
            investigation.interventions.select_related("provider").prefetch_related("follow_ups")
        ),
        "follow_up_deadlines": deadline_rows(
            Deadline.objects.filter(follow_up__intervention__investigation=investigation),
            viewer.today,
        ),
        "reports": reports,
        "openable_case_ids": viewer.reachable_case_ids(track.case_id for track in reports),
        "workers": list(investigation.workers.all()),
        "extension_form": bound.get("extension_form") or InvestigationExtensionForm(),
        "close_form": bound.get("close_form") or CloseForm(),
        "intervention_form": bound.get("intervention_form") or InterventionForm(),
        "follow_up_form": FollowUpForm(),
    }
    return render(request, "children/investigation.html", context, status=status)


@allowed(logged_in)
def investigation_detail(request: HttpRequest, investigation_id: int) -> HttpResponse:
    return _investigation_page(request, investigation_id)


def _investigation_for_change(request: HttpRequest, investigation_id: int) -> Investigation:
    investigation, _reach, _card = read_investigation(
        request, investigation_id, action=AccessAction.CHANGE
    )
    return investigation


@require_POST
@allowed(logged_in)
def extend_investigation(request: HttpRequest, investigation_id: int) -> HttpResponse:
    investigation = _investigation_for_change(request, investigation_id)
    form = InvestigationExtensionForm(request.POST)
    if form.is_valid():
        try:
            actions.extend_investigation(investigation, by=staff_user(request), **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Utredningstiden är förlängd."))
            return redirect("children:investigation", investigation_id=investigation.pk)
    return _investigation_page(request, investigation_id, 400, extension_form=form)


@require_POST
@allowed(logged_in)
def close_investigation(request: HttpRequest, investigation_id: int) -> HttpResponse:
    investigation = _investigation_for_change(request, investigation_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            actions.close_investigation(investigation, by=staff_user(request), **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Utredningen är avslutad."))
            return redirect("children:investigation", investigation_id=investigation.pk)
    return _investigation_page(request, investigation_id, 400, close_form=form)


@require_POST
@allowed(logged_in)
def add_intervention(request: HttpRequest, investigation_id: int) -> HttpResponse:
    investigation = _investigation_for_change(request, investigation_id)
    form = InterventionForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("follow_up_")}
        try:
            actions.decide_intervention(
                investigation, by=staff_user(request), follow_ups=form.follow_ups(), **data
            )
        except ValidationError as error:
            apply_errors(form, error, {"follow_ups": "follow_up_1"})
        else:
            messages.success(request, _("Insatsen är registrerad."))
            return redirect("children:investigation", investigation_id=investigation.pk)
    return _investigation_page(request, investigation_id, 400, intervention_form=form)


@require_POST
@allowed(logged_in)
def complete_follow_up(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = FollowUp.objects.select_related("intervention").filter(pk=follow_up_id).first()
    investigation_id = follow_up.intervention.investigation_id if follow_up else None
    if follow_up is None or investigation_id is None:
        raise Http404
    _investigation_for_change(request, investigation_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            actions.complete_follow_up(follow_up, **form.cleaned_data, by=staff_user(request))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Uppföljningen är registrerad."))
    else:
        messages.error(request, _("Ange datum och vad uppföljningen visade."))
    return redirect("children:investigation", investigation_id=investigation_id)


# --- Import of historical reports -----------------------------------------------------------------


def _importers(viewer: Viewer) -> bool:
    return viewer.may_import


def _import_job(request: HttpRequest, import_id: int) -> ReportImport:
    """The import, if it belongs to a unit the viewer may import into; otherwise 404."""
    job = (
        ReportImport.objects.select_related("group__unit", "created_by")
        .filter(pk=import_id)
        .first()
    )
    if job is None or job.group.unit_id not in viewer_for(request).import_unit_ids:
        raise Http404
    return job


@allowed(_importers)
def import_reports(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    groups = Group.objects.filter(unit_id__in=viewer.import_unit_ids).select_related("unit")
    form = ImportForm(request.POST or None, request.FILES or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = importing.receive(
            form.data_bytes(), upload.name or "", form.cleaned_data["group"], by=staff_user(request)
        )
        return redirect("children:import_detail", import_id=job.pk)
    recent = ReportImport.objects.filter(group__unit_id__in=viewer.import_unit_ids).select_related(
        "group__unit", "created_by"
    )[:20]
    status = 400 if request.method == "POST" else 200
    return render(request, "children/import.html", {"form": form, "recent": recent}, status=status)


@allowed(_importers)
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    job = _import_job(request, import_id)
    context = {"job": job, "late_text": importing.LATE_REASON_UNRECORDED}
    if request.headers.get("HX-Request"):
        return render(request, "children/_import_status.html", context)
    return render(request, "children/import_detail.html", context)


@require_POST
@allowed(_importers)
def import_start(request: HttpRequest, import_id: int) -> HttpResponse:
    job = _import_job(request, import_id)
    if importing.confirm(job, by=staff_user(request)):
        messages.success(request, _("Importen har startat. Sidan visar hur långt den har kommit."))
    else:
        messages.error(request, _("Importen väntar inte på bekräftelse och kan inte startas."))
    return redirect("children:import_detail", import_id=job.pk)
