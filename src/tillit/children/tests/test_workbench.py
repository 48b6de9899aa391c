"""The workbench: who sees which items, the light at fixed dates, order, filters, reassigning."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine

from tillit.access.policy import Viewer
from tillit.audit.models import AccessAction, AccessLog
from tillit.children import actions, workbench
from tillit.children.models import Deadline, DeadlineKind, Report
from tillit.children.tests.conftest import NOW, RECEIVED, STOCKHOLM, register
from tillit.conftest import World
from tillit.deadlines.models import UnitDeadlinePolicy
from tillit.organisation.models import Group

P, INI, INV = DeadlineKind.PROTECTIVE, DeadlineKind.INITIAL, DeadlineKind.INVESTIGATION
MASKED = "Skyddad identitet"


def _items(world: World) -> dict[str, Report]:
    """Reception: the queue child (reception_worker) and the protected child (colleague);
    an investigation of the investigated child; a report in the other unit nobody holds."""
    queue = register(world)
    protected = register(
        world,
        children=[actions.ChildRef(individual=world.children["protected"])],
        holder=world.people["reception_colleague"],
    )
    actions.open_investigation(
        individual=world.children["investigated"],
        group=world.investigation,
        opened_on=NOW.date(),
        holder=world.people["investigation_worker"],
        by=world.people["unit_head"],
    )
    other = register(
        world,
        group=Group.objects.get(name="Biståndshandläggning"),
        children=[actions.ChildRef(individual=world.children["other_unit"])],
        holder=None,
    )
    return {"queue": queue, "protected": protected, "other": other}


def _shown(world: World, persona: str, url: str, query: dict[str, str] | None = None) -> set:
    response = world.client(persona).get(url, query or {})
    assert response.status_code == 200, response.status_code
    return {(line.deadline.kind, line.card.name) for line in response.context["lines"]}


QUEUE, PROT, INVD, OTHER = "Kö Barnsson", MASKED, "Utredd Barnsson", "Annan Barnsson"
RECEPTION_ITEMS = {(P, QUEUE), (INI, QUEUE), (P, PROT), (INI, PROT)}

# persona -> (my items, group items or None for 403, breaches)
ACCESS = {
    "reception_worker": ({(P, QUEUE), (INI, QUEUE)}, None, set()),
    "reception_colleague": ({(P, PROT), (INI, PROT)}, None, set()),
    "investigation_worker": ({(INV, INVD)}, None, set()),
    "reception_head": (set(), RECEPTION_ITEMS, set()),
    "unit_head": (set(), RECEPTION_ITEMS | {(INV, INVD)}, set()),
    "other_unit_head": (set(), {(P, OTHER), (INI, OTHER)}, set()),
}


@pytest.mark.parametrize("persona", sorted(ACCESS))
def test_each_viewer_sees_only_the_items_of_their_own_place(reception, persona):
    _items(reception)
    mine, group, breaches = ACCESS[persona]
    assert _shown(reception, persona, "/barn-och-familj/arbetsyta/") == mine
    if group is None:
        response = reception.client(persona).get("/barn-och-familj/arbetsyta/grupp/")
        assert response.status_code == 403
    else:
        assert _shown(reception, persona, "/barn-och-familj/arbetsyta/grupp/") == group
    assert _shown(reception, persona, "/barn-och-familj/arbetsyta/overskridna/") == breaches


def test_a_worker_never_sees_another_groups_breaches(reception):
    _items(reception)
    with time_machine.travel(dt.datetime(2027, 1, 4, 12, tzinfo=STOCKHOLM), tick=False):
        seen = {
            persona: _shown(reception, persona, "/barn-och-familj/arbetsyta/overskridna/")
            for persona in ("reception_worker", "investigation_worker", "unit_head")
        }
    assert seen["reception_worker"] == RECEPTION_ITEMS
    assert seen["investigation_worker"] == {(INV, INVD)}
    assert seen["unit_head"] == RECEPTION_ITEMS | {(INV, INVD)}


def test_the_protected_child_is_masked_and_every_listed_child_is_logged_once(reception):
    _items(reception)
    before = AccessLog.objects.count()
    response = reception.client("reception_head").get("/barn-och-familj/arbetsyta/grupp/")
    body = response.content.decode()
    assert "Hemlig" not in body
    assert MASKED in body
    assert "Kö Barnsson" in body
    logged = AccessLog.objects.filter(
        actor=reception.people["reception_head"], action=AccessAction.LIST
    )
    assert AccessLog.objects.count() - before == 2
    assert sorted(logged.values_list("individual_id", flat=True)) == sorted(
        [reception.children["queue"].pk, reception.children["protected"].pk]
    )
    assert list(
        logged.filter(individual=reception.children["protected"]).values_list(
            "protected", flat=True
        )
    ) == [True]


# The initial assessment of a report received Thursday 2026-03-12 is due Thursday 2026-03-26.
INITIAL_DUE = dt.date(2026, 3, 26)


@pytest.mark.parametrize(
    ("warning_days", "today", "days_left", "light"),
    [
        (3, dt.date(2026, 3, 22), 4, "gron"),
        (3, dt.date(2026, 3, 23), 3, "gul"),
        (3, dt.date(2026, 3, 26), 0, "gul"),
        (3, dt.date(2026, 3, 27), -1, "rod"),
        (0, dt.date(2026, 3, 25), 1, "gron"),
        (0, dt.date(2026, 3, 26), 0, "gul"),
        (7, dt.date(2026, 3, 18), 8, "gron"),
        (7, dt.date(2026, 3, 19), 7, "gul"),
    ],
)
def test_the_traffic_light_turns_at_the_units_warning_days(
    reception, warning_days, today, days_left, light
):
    UnitDeadlinePolicy.objects.create(unit=reception.unit, warning_days=warning_days)
    track = register(reception).tracks.get()
    actions.record_protective_assessment(
        track,
        by=reception.people["reception_worker"],
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection=False,
        reasoning="Ingen akut fara.",
    )
    at = dt.datetime.combine(today, dt.time(9), tzinfo=STOCKHOLM)
    worker = Viewer.of(reception.people["reception_worker"], now=at)
    [row] = workbench.my_items(worker).rows
    assert (row.deadline.due, row.days_left, row.light) == (INITIAL_DUE, days_left, light)
    head = Viewer.of(reception.people["reception_head"], now=at)
    for filtered in ("gron", "gul", "rod"):
        rows = workbench.group_items(head, workbench.Filters(light=filtered)).rows
        assert [r.deadline.pk for r in rows] == ([row.deadline.pk] if filtered == light else [])


def test_reports_waiting_for_their_protective_assessment_come_first(reception):
    early = register(reception, received_at=dt.datetime(2026, 2, 2, 10, tzinfo=STOCKHOLM))
    early_track = early.tracks.get()
    actions.record_protective_assessment(
        early_track,
        by=reception.people["reception_worker"],
        assessed_at=dt.datetime(2026, 2, 2, 11, tzinfo=STOCKHOLM),
        immediate_protection=False,
        reasoning="Ingen akut fara.",
        now=NOW,
    )
    # Received after office hours: the protective assessment is due the next working day.
    late = register(
        reception,
        received_at=dt.datetime(2026, 3, 12, 14, 30, tzinfo=STOCKHOLM),
        children=[actions.ChildRef(individual=reception.children["assigned"])],
    )
    late_track = late.tracks.get()
    head = Viewer.of(reception.people["reception_head"], now=NOW)
    order = [(r.deadline.kind, r.deadline.track_id) for r in workbench.group_items(head).rows]
    assert order == [(P, late_track.pk), (INI, early_track.pk), (INI, late_track.pk)]
    by_due = sorted(Deadline.objects.filter(completed_on__isnull=True), key=lambda d: d.due)
    assert by_due[0].track_id == early_track.pk  # the overdue initial would lead by due alone


# filter -> the (kind, child) items the unit head sees
FILTERS = [
    ({}, RECEPTION_ITEMS | {(INV, INVD)}),
    ({"kind": "utredning"}, {(INV, INVD)}),
    ({"kind": "skyddsbedomning"}, {(P, QUEUE), (P, PROT)}),
    ({"light": "gul"}, {(P, QUEUE), (P, PROT)}),
    ({"light": "gron"}, {(INI, QUEUE), (INI, PROT), (INV, INVD)}),
    ({"light": "rod"}, set()),
    ({"holder": "reception_colleague"}, {(P, PROT), (INI, PROT)}),
    ({"holder": "ingen"}, set()),
    ({"group": "investigation"}, {(INV, INVD)}),
    ({"group": "reception", "kind": "forhandsbedomning"}, {(INI, QUEUE), (INI, PROT)}),
    ({"group": "other_unit_group"}, RECEPTION_ITEMS | {(INV, INVD)}),  # not theirs: ignored
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_filters_narrow_the_group_view(reception, query, expected):
    _items(reception)
    params = dict(query)
    if "holder" in params and params["holder"] != "ingen":
        params["holder"] = str(reception.people[params["holder"]].pk)
    groups = {
        "reception": reception.reception,
        "investigation": reception.investigation,
        "other_unit_group": Group.objects.get(name="Biståndshandläggning"),
    }
    if "group" in params:
        params["group"] = str(groups[params["group"]].pk)
    assert _shown(reception, "unit_head", "/barn-och-familj/arbetsyta/grupp/", params) == expected


def test_an_unassigned_item_is_found_by_its_filter(reception):
    track = register(reception, holder=None).tracks.get()
    head = reception.client("reception_head")
    response = head.get("/barn-och-familj/arbetsyta/grupp/", {"holder": "ingen"})
    assert {line.deadline.track_id for line in response.context["lines"]} == {track.pk}
    assert "ej tilldelad" in response.content.decode()


def test_the_filtered_list_alone_answers_htmx(reception):
    _items(reception)
    response = reception.client("reception_head").get(
        "/barn-och-familj/arbetsyta/grupp/", {"kind": "skyddsbedomning"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert body.count("data-deadline=") == 2


def test_the_group_view_is_paginated(reception, monkeypatch):
    monkeypatch.setattr(workbench, "PAGE_SIZE", 3)
    _items(reception)
    client = reception.client("unit_head")
    first = client.get("/barn-och-familj/arbetsyta/grupp/")
    second = client.get("/barn-och-familj/arbetsyta/grupp/", {"sida": "2"})
    assert (len(first.context["lines"]), first.context["page"].has_next) == (3, True)
    assert (len(second.context["lines"]), second.context["page"].has_next) == (2, False)
    ids = [line.deadline.pk for r in (first, second) for line in r.context["lines"]]
    assert len(set(ids)) == 5


@pytest.mark.parametrize("sida", ["²", "9" * 25])
@pytest.mark.parametrize("tab", ["", "grupp/", "overskridna/"])
def test_a_page_number_that_is_no_page_shows_the_first_page(reception, tab, sida):
    # "²" passed str.isdigit() and int() refused it; 10**24 asked the database for an offset
    # it cannot hold: both were server errors (found by fuzzing).
    response = reception.client("unit_head").get(
        f"/barn-och-familj/arbetsyta/{tab}", {"sida": sida}
    )
    assert response.status_code == 200
    assert response.context["page"].number == 1


def _next_page(body: str) -> str:
    """The href of the page's "Nästa" link (what a user clicks)."""
    found = re.search(r'href="([^"]+)" rel="next"', body)
    assert found is not None, "no link to a next page"
    return html.unescape(found.group(1))


def test_the_second_page_of_the_group_view_is_reached_by_its_link(reception, monkeypatch):
    monkeypatch.setattr(workbench, "PAGE_SIZE", 3)
    _items(reception)
    client = reception.client("unit_head")
    url = "/barn-och-familj/arbetsyta/grupp/"
    first = client.get(url, {"kind": ""}).content.decode()
    second = client.get(url + _next_page(first))
    assert second.status_code == 200
    body = second.content.decode()
    shown = re.findall(r'data-deadline="(\d+)"', body)
    assert len(shown) == 2
    assert not set(shown) & set(re.findall(r'data-deadline="(\d+)"', first))
    # Each row on page 2 carries its own reassign list, the current holder selected.
    line = second.context["lines"][0]
    assert f'id="holder-{line.pk}"' in body
    assert f'action="/barn-och-familj/arbetsyta/{line.pk}/omfordela/"' in body
    if line.deadline.holder_id:
        assert f'<option value="{line.deadline.holder_id}" selected>' in body


def test_the_overdue_list_pages_and_its_second_page_shows_a_row(reception, monkeypatch):
    monkeypatch.setattr(workbench, "PAGE_SIZE", 2)
    for _ in range(3):
        register(reception)  # each protective assessment due 2026-03-12, never done
    url = "/barn-och-familj/arbetsyta/overskridna/"
    # The initial assessments (due 2026-03-26) are not late yet: three items, two pages.
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=STOCKHOLM), tick=False):
        client = reception.client("reception_head")
        first = client.get(url).content.decode()
        second = client.get(url + _next_page(first)).content.decode()
    assert first.count("data-deadline=") == 2
    assert second.count("data-deadline=") == 1
    assert "8 dagar försenad" in second
    assert 'rel="prev"' in second


def test_the_group_query_is_a_fixed_number_of_queries(reception, django_assert_max_num_queries):
    for _ in range(6):
        register(reception)
    head = Viewer.of(reception.people["unit_head"], now=NOW)
    with django_assert_max_num_queries(5):
        page = workbench.group_items(head)
        names = [(r.deadline.individual.last_name, r.deadline.holder) for r in page.rows]
    assert len(names) == 12


# --- Reassigning ----------------------------------------------------------------------------------


def _reassign_url(deadline: Deadline) -> str:
    return f"/barn-och-familj/arbetsyta/{deadline.pk}/omfordela/"


@pytest.mark.parametrize("persona", ["reception_head", "unit_head"])
def test_the_head_reassigns_an_item_and_it_is_logged(reception, persona):
    track = register(reception).tracks.get()
    deadline = Deadline.objects.get(kind=P, track=track)
    colleague = reception.people["reception_colleague"]
    colleague.first_name = "Kollega"
    colleague.save(update_fields=["first_name"])
    response = reception.client(persona).post(
        _reassign_url(deadline),
        {"holder": colleague.pk, "next": "/barn-och-familj/arbetsyta/grupp/?kind=skyddsbedomning"},
        follow=True,
    )
    assert (
        response.redirect_chain[-1][0] == "/barn-och-familj/arbetsyta/grupp/?kind=skyddsbedomning"
    )
    message = response.content.decode()
    assert "Skyddsbedömning är omfördelad från Reception Testsson till Kollega Testsson" in message
    assert Deadline.objects.get(pk=deadline.pk).holder == colleague
    assert AccessLog.objects.filter(
        actor=reception.people[persona],
        action=AccessAction.CHANGE,
        individual=reception.children["queue"],
    ).exists()


@pytest.mark.parametrize("back", ["-0", "workbench", "https://example.invalid/"])
def test_a_next_that_is_not_a_path_here_goes_back_to_the_group_workbench(reception, back):
    # A bare word was taken for a view's name by redirect(): a server error (found by fuzzing).
    deadline = Deadline.objects.get(kind=P, track=register(reception).tracks.get())
    response = reception.client("reception_head").post(
        _reassign_url(deadline),
        {"holder": reception.people["reception_colleague"].pk, "next": back},
    )
    assert response.status_code == 302
    assert response["Location"] == "/barn-och-familj/arbetsyta/grupp/"


def test_the_reassign_page_shows_the_current_holder(reception):
    track = register(reception, holder=None).tracks.get()
    deadline = Deadline.objects.get(kind=INI, track=track)
    response = reception.client("reception_head").get(_reassign_url(deadline))
    assert response.status_code == 200
    assert "ej tilldelad" in response.content.decode()


@pytest.mark.parametrize(
    ("holder", "message"),
    [
        ("", "Fältet måste fyllas i."),
        ("reception_worker", "Ärendet har redan den handläggaren."),
        ("other_unit_head", "Välj en socialsekreterare eller gruppchef i gruppen."),
        # Same unit, another group: only the item's own group holds it.
        ("investigation_worker", "Välj en socialsekreterare eller gruppchef i gruppen."),
        ("former_worker", "Välj en socialsekreterare eller gruppchef i gruppen."),
        ("quality_developer", "Välj en socialsekreterare eller gruppchef i gruppen."),
        ("9999999", "Välj en socialsekreterare eller gruppchef i gruppen."),
    ],
)
def test_refused_reassigning_says_why_and_changes_nothing(reception, holder, message):
    track = register(reception).tracks.get()
    deadline = Deadline.objects.get(kind=P, track=track)
    value = str(reception.people[holder].pk) if holder in reception.people else holder
    before = track.history.count()
    response = reception.client("reception_head").post(_reassign_url(deadline), {"holder": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Deadline.objects.get(pk=deadline.pk).holder == reception.people["reception_worker"]
    assert track.history.count() == before


def test_a_completed_item_is_not_reassigned(reception):
    track = register(reception).tracks.get()
    actions.record_protective_assessment(
        track,
        by=reception.people["reception_worker"],
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection=False,
        reasoning="Ingen akut fara.",
    )
    deadline = Deadline.objects.get(kind=P, track=track)
    response = reception.client("reception_head").post(
        _reassign_url(deadline), {"holder": reception.people["reception_colleague"].pk}
    )
    assert response.status_code == 400
    assert "Momentet är redan klart." in response.content.decode()
    assert Deadline.objects.get(pk=deadline.pk).holder == reception.people["reception_worker"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("reception_worker", 403),
        ("investigation_worker", 403),
        ("other_unit_head", 404),
        ("quality_developer", 403),
        (None, 302),
    ],
)
def test_only_the_group_or_unit_head_may_reassign(reception, persona, status):
    track = register(reception).tracks.get()
    deadline = Deadline.objects.get(kind=P, track=track)
    response = reception.client(persona).post(
        _reassign_url(deadline), {"holder": reception.people["reception_colleague"].pk}
    )
    assert response.status_code == status
    assert Deadline.objects.get(pk=deadline.pk).holder == reception.people["reception_worker"]


def test_the_group_head_may_not_reassign_another_groups_item(reception):
    _items(reception)
    deadline = Deadline.objects.get(kind=INV)
    response = reception.client("reception_head").post(
        _reassign_url(deadline), {"holder": reception.people["reception_colleague"].pk}
    )
    assert response.status_code == 404
    assert AccessLog.objects.filter(
        actor=reception.people["reception_head"], action=AccessAction.DENIED
    ).exists()


def test_breaches_show_the_recorded_late_reason(reception):
    track = register(reception).tracks.get()
    actions.record_protective_assessment(
        track,
        by=reception.people["reception_worker"],
        assessed_at=dt.datetime(2026, 3, 13, 9, tzinfo=STOCKHOLM),
        immediate_protection=False,
        reasoning="Ingen akut fara.",
        late_reason="Anmälan registrerades sent.",
        now=dt.datetime(2026, 3, 13, 10, tzinfo=STOCKHOLM),
    )
    with time_machine.travel(dt.datetime(2026, 3, 13, 12, tzinfo=STOCKHOLM), tick=False):
        response = reception.client("reception_head").get("/barn-och-familj/arbetsyta/overskridna/")
    body = response.content.decode()
    assert [(line.deadline.kind, line.row.days_late) for line in response.context["lines"]] == [
        (P, 1)
    ]
    assert "Anmälan registrerades sent." in body
    assert "Klar 2026-03-13, 1 dag för sent" in body


@pytest.mark.parametrize(
    ("today", "listed"),
    [(dt.date(2027, 3, 12), True), (dt.date(2027, 3, 13), False)],
)
def test_breaches_look_back_twelve_months_by_due_date(reception, today, listed):
    register(reception)  # protective assessment due 2026-03-12, never done
    at = dt.datetime.combine(today, dt.time(9), tzinfo=STOCKHOLM)
    head = Viewer.of(reception.people["reception_head"], now=at)
    kinds = {row.deadline.kind for row in workbench.breaches(head).rows}
    assert (P in kinds) == listed


# --- The on-call service on a protective item ---------------------------------------------------


@pytest.mark.parametrize(
    ("received", "on_call"),
    [
        pytest.param(dt.datetime(2026, 3, 12, 10, 30, tzinfo=STOCKHOLM), False, id="in-hours"),
        pytest.param(dt.datetime(2026, 3, 11, 18, 0, tzinfo=STOCKHOLM), True, id="evening"),
        pytest.param(dt.datetime(2026, 3, 8, 12, 0, tzinfo=STOCKHOLM), True, id="sunday"),
        pytest.param(dt.datetime(2026, 1, 6, 12, 0, tzinfo=STOCKHOLM), True, id="epiphany"),
    ],
)
def test_a_protective_item_names_the_on_call_service_when_it_came_out_of_hours(
    reception, received, on_call
):
    UnitDeadlinePolicy.objects.create(unit=reception.unit, on_call_group=reception.investigation)
    register(reception, received_at=received)
    named = "Kom in utanför kontorstid: Barn och familj – Utredning ansvarar för skyddsbedömningen."
    for persona, url in [
        ("reception_worker", "/barn-och-familj/arbetsyta/"),
        ("reception_head", "/barn-och-familj/arbetsyta/grupp/"),
    ]:
        response = reception.client(persona).get(url)
        rows = {line.deadline.kind: line.row.on_call for line in response.context["lines"]}
        assert rows[INI] is None
        assert (rows[P] is not None) is on_call
        assert (named in response.content.decode()) is on_call


def test_the_workload_counts_open_items_per_holder_in_one_query(
    reception, django_assert_max_num_queries
):
    for _ in range(3):
        register(reception)
    held = Deadline.objects.filter(completed_on__isnull=True).order_by("pk")
    colleague = reception.people["reception_colleague"]
    Deadline.objects.filter(pk__in=[d.pk for d in held[:2]]).update(holder=colleague)
    head = Viewer.of(reception.people["reception_head"], now=NOW)
    with django_assert_max_num_queries(2):
        found = workbench.workload(head)
    by_holder = {w.holder_id: w.open for w in found}
    total = Deadline.objects.filter(completed_on__isnull=True, group=reception.reception).count()
    assert by_holder[colleague.pk] == 2
    assert sum(by_holder.values()) == total
    assert found[-1].holder_id is None or None not in by_holder
    assert workbench.workload(Viewer.of(reception.people["reception_worker"], now=NOW)) == []
