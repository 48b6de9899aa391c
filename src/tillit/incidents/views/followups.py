"""Provider follow-up pages: the yearly plan, one follow-up (the officer's and the provider's
side), one checklist point with its documents, the report PDF."""

from __future__ import annotations

from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed
from tillit.access.policy import Viewer
from tillit.access.reading import staff_user, viewer_for
from tillit.incidents import access, documents
from tillit.incidents.actions import followups as actions
from tillit.incidents.forms import (
    CorrectionForm,
    CorrectionNoteForm,
    FollowUpReportForm,
    PlanForm,
    PointForm,
    RequestAnswerForm,
    RequestForm,
    SanctionForm,
)
from tillit.incidents.models import (
    ChecklistPoint,
    FollowUpPlan,
    FollowUpStatus,
    PointDocument,
    Sanction,
)
from tillit.incidents.views.common import Step, attempt, download, run_step
from tillit.kundval.models import Authorisation

M = TypeVar("M", bound=Model)


def _may_see_follow_ups(viewer: Viewer) -> bool:
    return access.follows_up_providers(viewer) or viewer.is_provider_staff


@allowed(_may_see_follow_ups)
def follow_ups(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    staff = access.follows_up_providers(viewer)
    municipality = access.follow_up_municipalities(viewer).first() if staff else None
    form = PlanForm(request.POST or None, initial={"year": viewer.today.year})
    if request.method == "POST":
        if municipality is None:
            raise PermissionDenied
        if attempt(
            form,
            lambda: actions.make_plan(
                municipality,
                form.cleaned_data["year"],
                by=staff_user(request),
                today=viewer.today,
            ),
        ):
            messages.success(request, _("Årets uppföljningsplan är upprättad."))
            return redirect("incidents:follow_ups")
    plans = (
        FollowUpPlan.objects.filter(municipality=municipality).order_by("-year")
        if municipality
        else FollowUpPlan.objects.none()
    )
    found = (
        access.follow_ups_for(viewer)
        .select_related("provider", "plan")
        .order_by("-plan__year", "planned_quarter", "-risk_score", "provider__name")[:200]
    )
    return render(
        request,
        "incidents/follow_ups.html",
        {"form": form if staff else None, "plans": plans, "follow_ups": found, "staff": staff},
        status=400 if request.method == "POST" else 200,
    )


def _target(request: HttpRequest, queryset: QuerySet[M]) -> M:
    try:
        pk = int(request.POST.get("target", ""))
    except ValueError:
        raise Http404 from None
    return get_object_or_404(queryset, pk=pk)


@allowed(_may_see_follow_ups)
def follow_up(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.follow_up_for(viewer, follow_up_id)
    staff = access.follows_up_providers(viewer)
    provider_side = found.provider_id in viewer.provider_ids
    by, today = staff_user(request), viewer.today
    authorisations = Authorisation.objects.in_force(today).filter(provider=found.provider)
    staff_steps: dict[str, Step] = {
        "start": (None, lambda d: actions.start_follow_up(found, by=by, today=today)),
        "request": (
            RequestForm,
            lambda d: actions.ask_provider(found, by=by, today=today, **d),
        ),
        "correction": (
            CorrectionForm,
            lambda d: actions.require_correction(found, by=by, today=today, **d),
        ),
        "accept": (
            None,
            lambda d: actions.accept_correction(
                _target(request, found.corrections.all()),
                by=by,
                today=today,
            ),
        ),
        "sanction": (
            SanctionForm,
            lambda d: actions.decide_sanction(
                found,
                step=d["step"],
                reason=d["reason"],
                authorisation=d["authorisation"],
                stop_kind=d["stop_kind"],
                decided_by=d["decided_by"],
                from_date=d["from_date"],
                by=by,
                today=today,
            ),
        ),
        "report": (
            FollowUpReportForm,
            lambda d: actions.report_follow_up(found, by=by, today=today, **d),
        ),
    }
    provider_steps: dict[str, Step] = {
        "answer": (
            RequestAnswerForm,
            lambda d: actions.answer_request(
                _target(request, found.requests.all()),
                answer=d["answer"],
                by=by,
                today=today,
            ),
        ),
        "correction_note": (
            CorrectionNoteForm,
            lambda d: actions.report_correction(
                _target(request, found.corrections.all()),
                note=d["note"],
                by=by,
                today=today,
            ),
        ),
    }
    forms: dict[str, object] = {
        "request": RequestForm(),
        "correction": CorrectionForm(),
        "sanction": SanctionForm(authorisations=authorisations),
        "report": FollowUpReportForm(),
    }
    failed_step, failed_target = "", ""
    status = 200
    if request.method == "POST":
        steps = staff_steps if staff else provider_steps if provider_side else {}
        if not steps:
            raise PermissionDenied
        kwargs = (
            {"authorisations": authorisations} if request.POST.get("step") == "sanction" else {}
        )
        step, done, posted = run_step(request, steps, **kwargs)
        if done:
            messages.success(request, _("Uppföljningen är uppdaterad."))
            return redirect("incidents:follow_up", follow_up_id=found.pk)
        status = 400
        failed_step, failed_target = step, request.POST.get("target", "")
        if posted is not None:
            forms[step] = posted
    return render(
        request,
        "incidents/follow_up.html",
        {
            "follow_up": found,
            "staff": staff,
            "provider_side": provider_side,
            "points": found.points.prefetch_related("documents"),
            "requests": found.requests.all(),
            "corrections": found.corrections.all(),
            "sanctions": Sanction.objects.filter(provider=found.provider).select_related(
                "follow_up__plan"
            ),
            "forms": forms,
            "failed_step": failed_step,
            "failed_target": failed_target,
            "answer_form": forms.get("answer") or RequestAnswerForm(),
            "note_form": forms.get("correction_note") or CorrectionNoteForm(),
            "started": found.status != FollowUpStatus.PLANNED,
            "in_review": found.status == FollowUpStatus.STARTED,
        },
        status=status,
    )


@allowed(access.follows_up_providers)
def point(request: HttpRequest, point_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = get_object_or_404(
        ChecklistPoint.objects.filter(follow_up__in=access.follow_ups_for(viewer)).select_related(
            "follow_up__provider", "terms"
        ),
        pk=point_id,
    )
    initial = {"result": found.result, "note": found.note} if found.result else None
    form = PointForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and attempt(
        form,
        lambda: actions.assess_point(
            found,
            result=form.cleaned_data["result"],
            note=form.cleaned_data["note"],
            files=form.cleaned_data["documents"],
            by=staff_user(request),
            today=viewer.today,
        ),
    ):
        messages.success(request, _("Punkten är bedömd."))
        return redirect("incidents:follow_up", follow_up_id=found.follow_up_id)
    return render(
        request,
        "incidents/point.html",
        {"point": found, "form": form, "documents": found.documents.all()},
        status=400 if request.method == "POST" else 200,
    )


@allowed(access.follows_up_providers)
def point_document(request: HttpRequest, document_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = get_object_or_404(
        PointDocument.objects.filter(point__follow_up__in=access.follow_ups_for(viewer)),
        pk=document_id,
    )
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        found.file.open("rb"),
        as_attachment=True,
        filename=found.title,
        content_type=found.content_type or "application/octet-stream",
    )
    return response


@allowed(_may_see_follow_ups)
def follow_up_pdf(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.follow_up_for(viewer, follow_up_id)
    if found.status != FollowUpStatus.REPORTED:
        raise Http404
    return download(
        documents.follow_up_report(found, made_on=viewer.today),
        "application/pdf",
        f"uppfoljning-{found.pk}.pdf",
    )
