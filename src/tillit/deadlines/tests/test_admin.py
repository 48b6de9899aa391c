"""Only system administrators edit legal rules and unit policies; bad input saves nothing."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tillit.conftest import World
from tillit.deadlines.models import LegalRule, UnitDeadlinePolicy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def model_permissions(world: World) -> None:
    """Django's model permissions for this app, given to every staff persona: the admin site
    must still let in only the system administrator."""
    permissions = Permission.objects.filter(content_type__app_label="deadlines")
    for persona in ["system_admin", "unit_head", "reception_head", "quality_developer"]:
        user = world.people[persona]
        user.user_permissions.add(*permissions)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])


PAGES = [
    "admin:deadlines_legalrule_changelist",
    "admin:deadlines_unitdeadlinepolicy_changelist",
    "admin:deadlines_unitdeadlinepolicy_add",
]


@pytest.mark.parametrize("page", PAGES)
def test_system_admin_opens_the_deadline_pages(world: World, page: str) -> None:
    assert world.client("system_admin").get(reverse(page)).status_code == 200


@pytest.mark.parametrize("persona", ["unit_head", "reception_head", "quality_developer"])
@pytest.mark.parametrize("page", PAGES)
def test_staff_without_the_admin_role_are_sent_to_login(
    world: World, persona: str, page: str
) -> None:
    response = world.client(persona).get(reverse(page))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_legal_rules_cannot_be_added_or_deleted_in_the_admin(world: World) -> None:
    client = world.client("system_admin")
    rule = LegalRule.objects.get(code="utredning")
    assert client.get(reverse("admin:deadlines_legalrule_add")).status_code == 403
    delete = reverse("admin:deadlines_legalrule_delete", args=[rule.pk])
    assert client.get(delete).status_code == 403


def _policy_form(world: World, **changes: str) -> dict[str, str]:
    return {
        "unit": str(world.unit.pk),
        "cutoff_time": "15:00",
        "office_opens": "08:00",
        "office_closes": "16:30",
        "apply_1930_173": "on",
        "warning_days": "3",
        "reminder_days": "2",
        "on_call_name": "",
        "on_call_group": "",
        "on_call_contact": "",
        "office_days-TOTAL_FORMS": "0",
        "office_days-INITIAL_FORMS": "0",
        **changes,
    }


def test_system_admin_sets_a_units_policy(world: World) -> None:
    url = reverse("admin:deadlines_unitdeadlinepolicy_add")
    response = world.client("system_admin").post(url, _policy_form(world))
    assert response.status_code == 302
    assert world.unit.deadline_policy.cutoff_time.hour == 15


def test_bad_office_hours_are_refused_in_swedish_and_nothing_is_saved(world: World) -> None:
    url = reverse("admin:deadlines_unitdeadlinepolicy_add")
    form = _policy_form(world, office_opens="17:00")
    response = world.client("system_admin").post(url, form)
    assert response.status_code == 200
    assert "Kontoret måste stänga senare än det öppnar." in response.content.decode()
    assert not UnitDeadlinePolicy.objects.exists()


def test_system_admin_sets_office_days_and_the_on_call_service(world: World) -> None:
    url = reverse("admin:deadlines_unitdeadlinepolicy_add")
    form = _policy_form(
        world,
        on_call_group=str(world.investigation.pk),
        on_call_contact="08-123 45 67",
        **{
            "office_days-TOTAL_FORMS": "2",
            "office_days-0-weekday": "4",
            "office_days-0-opens": "08:00",
            "office_days-0-closes": "15:00",
            "office_days-1-weekday": "5",
            "office_days-1-opens": "",
            "office_days-1-closes": "",
        },
    )
    response = world.client("system_admin").post(url, form)
    assert response.status_code == 302
    policy = world.unit.deadline_policy
    assert (policy.on_call_group, policy.on_call_contact) == (world.investigation, "08-123 45 67")
    assert sorted(policy.office_days.values_list("weekday", "opens", "closes")) == [
        (4, dt.time(8, 0), dt.time(15, 0)),
        (5, None, None),
    ]


def test_bad_weekday_hours_are_refused_in_the_admin(world: World) -> None:
    url = reverse("admin:deadlines_unitdeadlinepolicy_add")
    form = _policy_form(
        world,
        **{
            "office_days-TOTAL_FORMS": "1",
            "office_days-0-weekday": "0",
            "office_days-0-opens": "15:00",
            "office_days-0-closes": "08:00",
        },
    )
    response = world.client("system_admin").post(url, form)
    assert response.status_code == 200
    assert "Kontoret måste stänga senare än det öppnar." in response.content.decode()
    assert not UnitDeadlinePolicy.objects.exists()


def test_a_new_reference_cannot_be_marked_checked_without_a_source(world: World) -> None:
    rule = LegalRule.objects.get(code="skyddsbedomning")
    url = reverse("admin:deadlines_legalrule_change", args=[rule.pk])
    form = {
        "title": rule.title,
        "period": rule.period,
        "old_reference": rule.old_reference,
        "new_reference": "SoL (2025:400) 20 kap. 1 §",
        "new_reference_checked": "on",
        "new_reference_source": "",
        "source": rule.source,
    }
    response = world.client("system_admin").post(url, form)
    assert response.status_code == 200
    assert "Ange källan som styrker lagrummet" in response.content.decode()
    rule.refresh_from_db()
    assert not rule.new_reference_checked
