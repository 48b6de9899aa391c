"""Which incident pages open for a viewer: the menu, the start page and the pages' own links
ask here, with the same predicates that guard the pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tillit.access.policy import Viewer
from tillit.incidents import access


def incident_links(viewer: Viewer) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if access.any_staff(viewer):
        found.append((_("Avvikelser"), reverse("incidents:deviations")))
    if access.handles_complaints(viewer):
        found.append((_("Klagomål och synpunkter"), reverse("incidents:complaints")))
    elif access.municipal_staff(viewer):
        found.append((_("Registrera klagomål"), reverse("incidents:complaint_new")))
    if access.sees_lex_sarah(viewer):
        found.append((_("Lex Sarah"), reverse("incidents:lexsarah_list")))
    elif access.municipal_staff(viewer):
        found.append((_("Rapportera enligt lex Sarah"), reverse("incidents:lexsarah_new")))
    if access.analyses(viewer):
        found.append((_("Analys"), reverse("incidents:analysis")))
    if access.follows_up_providers(viewer) or viewer.is_provider_staff:
        found.append((_("Uppföljning av anordnare"), reverse("incidents:follow_ups")))
    return found
