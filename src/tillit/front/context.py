"""The main menu, built from what the viewer may do."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tillit.access.reading import viewer_for
from tillit.deadlines.reminders import counts
from tillit.incidents.links import incident_links
from tillit.organisation.models import Municipality
from tillit.quality.rules import may_use_quality


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    current: bool


def navigation(request: HttpRequest) -> dict[str, object]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    viewer = viewer_for(request)
    entries: list[tuple[str | Promise, str]] = [(_("Start"), reverse("front:start"))]
    if viewer.may_register_reports:
        entries.append((_("Ny orosanmälan"), reverse("children:register")))
    if viewer.may_search_individuals:
        entries.append((_("Personer"), reverse("individuals:search")))
    if viewer.worker_group_ids or viewer.head_group_ids or viewer.head_unit_ids:
        entries.append((_("Arbetsyta"), reverse("children:workbench")))
    total, unread = counts(viewer.user) if viewer.user is not None else (0, 0)
    if total or viewer.worker_group_ids or viewer.head_group_ids:
        label = _("Påminnelser (%(count)s)") % {"count": unread} if unread else _("Påminnelser")
        entries.append((label, reverse("deadlines:reminders")))
    if viewer.is_municipal_staff:
        entries.append((_("Organisation"), reverse("organisation:overview")))
    if viewer.may_state_audit_purpose:
        entries.append((_("Granskning"), reverse("access:audit_purpose")))
    if viewer.may_import:
        entries.append((_("Import"), reverse("children:import")))
    if viewer.review_unit_ids:
        entries.append((_("Logggranskning"), reverse("audit:review")))
    if viewer.may_see_compliance_figures:
        entries.append((_("Nyckeltal"), reverse("children:figures")))
    # Deviations, complaints, Lex Sarah, provider follow-up (issue 13): the pages link each other.
    if incidents := incident_links(viewer):
        entries.append((_("Avvikelser och klagomål"), incidents[0][1]))
    if may_use_quality(viewer):
        entries.append((_("Kvalitet"), reverse("quality:home")))
    if viewer.sees_municipal_figures:  # goals and national comparison (issue 15)
        entries.append((_("Mål och jämförelser"), reverse("goals:overview")))
    # Kundval (issue 4)
    if viewer.is_kundval_officer:
        entries.append((_("Kundval"), reverse("kundval:home")))
    if viewer.is_provider_staff:
        entries.append((_("Anordnarportal"), reverse("kundval:portal")))
    # Organising the quality work (issue 16)
    from tillit.orgwork.views import may_enter_orgwork

    if may_enter_orgwork(viewer):
        entries.append((_("Kvalitetsarbete"), reverse("orgwork:home")))
    if viewer.is_system_admin:
        entries.append((_("Administration"), reverse("admin:index")))
    items = [
        NavItem(label, url, request.path == url or (url != "/" and request.path.startswith(url)))
        for label, url in entries
    ]
    municipality = Municipality.objects.order_by("pk").values_list("name", flat=True).first()
    return {"nav_items": items, "municipality_name": municipality or ""}
