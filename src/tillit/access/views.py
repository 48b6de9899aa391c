from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.access import actions
from tillit.access.decorators import allowed, logged_in
from tillit.access.forms import AuditPurposeForm, ProtectedIdentityGrantForm
from tillit.access.models import AuditPurpose
from tillit.access.policy import Viewer
from tillit.access.reading import read_individual, staff_user, viewer_for


def _quality_developers(viewer: Viewer) -> bool:
    return viewer.may_state_audit_purpose


@allowed(_quality_developers)
def audit_purpose(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    form = AuditPurposeForm(request.POST or None, unit_ids=viewer.quality_unit_ids)
    if request.method == "POST" and form.is_valid():
        actions.state_audit_purpose(
            user=staff_user(request),
            unit=form.cleaned_data["unit"],
            purpose=form.cleaned_data["purpose"],
            now=viewer.now,
        )
        messages.success(request, _("Granskningen är påbörjad. Alla läsningar loggas med syftet."))
        return redirect("individuals:search")
    active = AuditPurpose.objects.filter(
        user=viewer.user, expires_at__gt=viewer.now, started_at__lte=viewer.now
    ).select_related("unit")
    return render(request, "access/audit_purpose.html", {"form": form, "active": active})


@require_POST
@allowed(logged_in)
def grant_protected_identity(request: HttpRequest, individual_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    individual, reach, _card = read_individual(request, individual_id)
    if not individual.is_protected or not viewer.may_grant_protected_identity(reach):
        return render(request, "403.html", status=403)
    form = ProtectedIdentityGrantForm(request.POST, unit_id=reach.unit_id)
    if not form.is_valid():
        return render(
            request, "access/grant.html", {"form": form, "individual_id": individual_id}, status=400
        )
    actions.grant_protected_identity(
        granted_by=staff_user(request),
        user=form.cleaned_data["user"],
        individual=individual,
        reason=form.cleaned_data["reason"],
        valid_from=viewer.today,
        valid_to=form.cleaned_data["valid_to"],
    )
    messages.success(request, _("Behörigheten till de skyddade uppgifterna är given."))
    return redirect("individuals:detail", individual_id=individual_id)
