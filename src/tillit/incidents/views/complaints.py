"""Complaint pages for staff: register one received by phone, letter or in person, the list,
one complaint with its next step."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed
from tillit.access.reading import staff_user, viewer_for
from tillit.incidents import access
from tillit.incidents.actions import complaints as actions
from tillit.incidents.forms import AnswerForm, ComplaintForm, OutcomeForm
from tillit.incidents.models import ComplaintStatus
from tillit.incidents.views.common import Step, apply_errors, page_of, run_step
from tillit.organisation.models import Provider, Unit

C = ComplaintStatus


@allowed(access.handles_complaints)
def complaints(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    status = request.GET.get("status", "")
    found = access.complaints_for(viewer).select_related("unit", "provider")
    if status in C.values:
        found = found.filter(status=status)
    return render(
        request,
        "incidents/complaints.html",
        {
            "page": page_of(request, found, f"status={status}" if status else ""),
            "statuses": C.choices,
            "status": status,
        },
    )


@allowed(access.municipal_staff)
def complaint_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    form = ComplaintForm(
        request.POST or None,
        units=Unit.objects.order_by("name"),
        providers=Provider.objects.order_by("name"),
        initial={"received_on": viewer.today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.register_complaint(
                kind=data["kind"],
                channel=data["channel"],
                unit=data["unit"],
                provider=data["provider"],
                category=data["category"],
                description=data["description"],
                anonymous=data["anonymous"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                wants_answer=data["wants_answer"],
                received_on=data["received_on"],
                by=staff_user(request),
                today=viewer.today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(ref)s är registrerat.") % {"ref": made.reference})
            if access.complaints_for(viewer).filter(pk=made.pk).exists():
                return redirect("incidents:complaint", complaint_id=made.pk)
            return redirect("front:start")
    return render(
        request,
        "incidents/complaint_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


NEXT_STEP: dict[str, str] = {
    C.RECEIVED: "acknowledge",
    C.ACKNOWLEDGED: "answer",
    C.ANSWERED: "close",
}


@allowed(access.logged_in_staff)
def complaint(request: HttpRequest, complaint_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.read_complaint(request, complaint_id)
    handles = access.handles_complaint(viewer, found)
    by, today = staff_user(request), viewer.today
    steps: dict[str, Step] = {
        "acknowledge": (None, lambda d: actions.acknowledge_complaint(found, by=by, today=today)),
        "answer": (
            AnswerForm,
            lambda d: actions.answer_complaint(
                found, answer=d["answer"], root_cause=d["root_cause"], by=by, today=today
            ),
        ),
        "close": (
            OutcomeForm,
            lambda d: actions.close_complaint(found, outcome=d["outcome"], by=by, today=today),
        ),
    }
    next_step = NEXT_STEP.get(found.status, "")
    closable_unanswered = found.status == C.ACKNOWLEDGED and (
        found.anonymous or not found.wants_answer
    )
    form_class = steps[next_step][0] if next_step else None
    form = form_class() if form_class is not None else None
    close_form: Form | None = OutcomeForm() if closable_unanswered else None
    status = 200
    if request.method == "POST":
        if not handles:
            raise PermissionDenied
        step, done, posted = run_step(request, steps)
        if done:
            messages.success(request, _("Ärendet är uppdaterat."))
            return redirect("incidents:complaint", complaint_id=found.pk)
        status = 400
        if step == "close" and closable_unanswered:
            close_form = posted
        elif posted is not None:
            form = posted
    return render(
        request,
        "incidents/complaint.html",
        {
            "complaint": found,
            "handles": handles,
            "next_step": next_step,
            "form": form,
            "close_form": close_form,
        },
        status=status,
    )
