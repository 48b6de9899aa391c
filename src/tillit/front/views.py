from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tillit.access.policy import Viewer
from tillit.access.reading import read_list, viewer_for
from tillit.deadlines.due import open_items_for, rows_for
from tillit.directory.worklist import own_cases
from tillit.individuals.models import Case, Individual
from tillit.organisation.models import Membership

START_LIST_SIZE = 25


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """The start page: the viewer's roles and, for case workers and heads, their cases."""
    viewer = viewer_for(request)
    memberships = (
        Membership.objects.active(viewer.today)
        .filter(user=viewer.user)
        .select_related("unit", "group", "provider")
        .order_by("role")
    )
    cases = list(own_cases(viewer)[: START_LIST_SIZE + 1])
    more = len(cases) > START_LIST_SIZE
    cases = cases[:START_LIST_SIZE]
    cards = read_list(request, _individuals_of(cases))
    by_id = {card.id: card for card in cards}
    rows = [(case, by_id[case.individual_id]) for case in cases if case.individual_id in by_id]
    steps = (
        list(open_items_for(viewer.user, viewer.today)[: START_LIST_SIZE + 1])
        if viewer.user
        else []
    )
    return render(
        request,
        "front/start.html",
        {
            "viewer": viewer,
            "memberships": memberships,
            "rows": rows,
            "more": more,
            "actions": daily_actions(viewer),
            "due_items": rows_for(viewer, steps[:START_LIST_SIZE]),
            "due_more": len(steps) > START_LIST_SIZE,
            "work_links": work_links(viewer),
        },
    )


@dataclass(frozen=True)
class Action:
    label: str | Promise
    url: str
    primary: bool = False


def daily_actions(viewer: Viewer) -> list[Action]:
    """What the viewer's roles do every day, first on the start page, beside the menu (which
    holds the rest); each one the policy lets the viewer open (the predicates that guard the
    pages)."""
    found: list[Action] = []
    if viewer.may_register_reports:
        found.append(Action(_("Ny orosanmälan"), reverse("children:register"), primary=True))
    if viewer.is_kundval_officer:
        found += [
            Action(_("Kunder och checkar"), reverse("kundval:customers")),
            Action(_("Registrera biståndsbeslut"), reverse("kundval:decision_new")),
            Action(_("Utbetalningar"), reverse("kundval:runs")),
            Action(_("Ansökningar om auktorisation"), reverse("kundval:applications")),
            # The public's requests to choose a provider (issue 14).
            Action(_("Förfrågningar om val av utförare"), reverse("public:officer_queue")),
        ]
    if viewer.is_provider_staff:
        found += [
            Action(_("Rapportera utförande"), reverse("kundval:portal_report"), primary=True),
        ]
    if viewer.quality_unit_ids:
        found.append(Action(_("Egenkontroller"), reverse("quality:plans"), primary=True))
        found.append(Action(_("Åtgärdsplan"), reverse("quality:deficiencies")))
        # User-survey results for Jämföraren (issue 14).
        found.append(Action(_("Importera brukarundersökning"), reverse("surveys:import")))
    found += orgwork_actions(viewer)
    return found


def orgwork_actions(viewer: Viewer) -> list[Action]:
    """Organising the quality work (issue 16): assignments instead of the mailbox."""
    from tillit.orgwork import access as orgwork

    found: list[Action] = []
    if orgwork.may_request(viewer):
        found.append(
            Action(_("Beställ ett uppdrag av kvalitetsresursen"), reverse("orgwork:assignment_new"))
        )
    if orgwork.may_use_assignments(viewer):
        found.append(Action(_("Uppdrag till kvalitetsresursen"), reverse("orgwork:assignments")))
    if orgwork.is_quality_staff(viewer):
        found.append(Action(_("Rapportera tid"), reverse("orgwork:time")))
    if orgwork.may_see_boards(viewer):
        found.append(Action(_("Nämndarbete"), reverse("orgwork:boards")))
    return found


def work_links(viewer: Viewer) -> list[Action]:
    """After one's own cases: where one's own deadlines and the group's work are (each link
    only for those the page opens for)."""
    from tillit.children import workbench

    found: list[Action] = []
    if workbench.may_use_workbench(viewer):
        found.append(Action(_("Dina frister"), reverse("children:workbench")))
    if workbench.leads_groups(viewer):
        found.append(Action(_("Gruppens ärenden"), reverse("children:workbench_group")))
    if viewer.may_search_individuals:
        found.append(Action(_("Sök person"), reverse("individuals:search")))
    return found


def _individuals_of(cases: list[Case]) -> list[Individual]:
    seen: dict[int, Individual] = {}
    for case in cases:
        seen.setdefault(case.individual_id, case.individual)
    return list(seen.values())
