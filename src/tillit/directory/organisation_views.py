"""The organisation's pages: processes and units, a unit's groups and staff, a staff member."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tillit.access.decorators import allowed, municipal_staff
from tillit.accounts.models import User
from tillit.organisation.models import Board, Group, Membership, Process, Unit
from tillit.periods import active_on


@allowed(municipal_staff)
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    active = active_on(today, prefix="memberships__")
    units = Unit.objects.annotate(staff=Count("memberships__user", filter=active, distinct=True))
    processes = Process.objects.select_related("owner", "municipality").prefetch_related(
        "boards", Prefetch("units", queryset=units.order_by("name"))
    )
    return render(
        request,
        "organisation/overview.html",
        {"processes": processes, "boards": Board.objects.select_related("municipality")},
    )


@allowed(municipal_staff)
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    today = timezone.localdate()
    unit = get_object_or_404(Unit.objects.select_related("process"), pk=unit_id)
    memberships = (
        Membership.objects.active(today)
        .filter(unit=unit)
        .select_related("user", "group")
        .order_by("group__name", "role", "user__last_name", "user__first_name")
    )
    groups = Group.objects.filter(unit=unit).order_by("name")
    return render(
        request,
        "organisation/unit.html",
        {"unit": unit, "groups": groups, "memberships": memberships},
    )


@allowed(municipal_staff)
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id, is_system_account=False)
    memberships = (
        Membership.objects.filter(user=person)
        .select_related("unit", "group", "provider")
        .order_by("-valid_from")
    )
    return render(
        request,
        "organisation/staff.html",
        {"person": person, "memberships": memberships, "today": timezone.localdate()},
    )
