"""The start page shows one's own work first: the cases one handles, not every case one can
reach (a colleague's case is read on the group's pages, where that is the point)."""

from django.urls import reverse

from tillit.audit.models import AccessLog


def test_the_start_page_lists_ones_own_cases_and_logs_no_colleagues_case(world):
    client = world.client("reception_colleague")
    page = client.get(reverse("front:start")).content.decode()
    assert "Tilldelad" in page  # assigned to this worker
    assert "Kö" not in page  # in the group's queue: on the group's pages, not here
    logged = set(
        AccessLog.objects.filter(actor=world.people["reception_colleague"]).values_list(
            "individual_id", flat=True
        )
    )
    assert logged == {world.children["assigned"].pk}


def test_a_head_without_own_cases_is_pointed_to_the_groups_work(world):
    page = world.client("reception_head").get(reverse("front:start")).content.decode()
    assert "Du är inte handläggare för något öppet ärende." in page
    assert reverse("children:workbench_group") in page
    assert not AccessLog.objects.filter(actor=world.people["reception_head"]).exists()
