"""The kundval officer's queue of the public's requests to choose or change provider."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed
from tillit.access.policy import Basis, Viewer
from tillit.access.reading import viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.public.actions import confirm_choice_request, matching_vouchers, refuse_choice_request
from tillit.public.models import ChoiceRequest, RequestStatus


def is_officer(viewer: Viewer) -> bool:
    return viewer.is_kundval_officer


def _mine(viewer: Viewer):  # type: ignore[no-untyped-def]
    return ChoiceRequest.objects.filter(area__unit_id__in=viewer.kundval_unit_ids).select_related(
        "area", "provider"
    )


@allowed(is_officer)
def queue(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    status = request.GET.get("status", RequestStatus.NEW)
    if status not in RequestStatus.values:
        status = RequestStatus.NEW
    found = _mine(viewer).filter(status=status).order_by("submitted_at")
    page_obj = Paginator(found, 50).get_page(request.GET.get("sida"))
    return render(
        request,
        "public/officer_queue.html",
        {"page_obj": page_obj, "status": status, "statuses": RequestStatus.choices},
    )


@allowed(is_officer)
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = _mine(viewer).filter(pk=request_id).first()
    if found is None:
        raise Http404
    today = timezone.localdate()
    vouchers = matching_vouchers(found, today) if found.status == RequestStatus.NEW else []
    record(
        actor=viewer.user,
        action=AccessAction.VIEW,
        reads=[
            Read(v.individual_id, Basis.KUNDVAL_AREA, unit_id=found.area.unit_id) for v in vouchers
        ],
        request=request,
    )
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("do") == "confirm":
                chosen = next(
                    (v for v in vouchers if str(v.pk) == request.POST.get("voucher")), None
                )
                if chosen is None:
                    raise ValidationError(_("Välj kundens check."))
                confirm_choice_request(found, voucher=chosen, by=viewer.user, today=today)  # type: ignore[arg-type]
                messages.success(request, _("Valet är registrerat."))
            else:
                refuse_choice_request(found, reason=request.POST.get("reason", ""), by=viewer.user)  # type: ignore[arg-type]
                messages.success(request, _("Begäran är avslutad utan val."))
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect("public:officer_queue")
    return render(
        request,
        "public/officer_detail.html",
        {"item": found, "vouchers": vouchers, "error": error},
        status=400 if error else 200,
    )
