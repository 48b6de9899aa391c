"""The one authorisation module: who may reach which individual, why, and what they may see.

Deny by default. Every page, the API, exports and imports ask here; no view tests roles itself.
A staff member reaches an individual only through a case (ärende) that their work touches:
an assignment, their group, the group or unit they head, or a quality developer's stated
audit purpose. Protected identities stay masked unless the reader holds a named grant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tillit.access.models import AuditPurpose, ProtectedIdentityGrant
from tillit.audit.bases import OUTSIDE_CASELOAD as OUTSIDE_CASELOAD
from tillit.audit.bases import Basis as Basis
from tillit.individuals.models import Case, CaseAssignment, Individual
from tillit.organisation.models import Group, Membership, Unit
from tillit.organisation.roles import Role
from tillit.periods import active_on

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tillit.accounts.models import User


_PREFERENCE = [
    Basis.ASSIGNMENT,
    Basis.GROUP_QUEUE,
    Basis.GROUP_HEAD,
    Basis.UNIT_HEAD,
    Basis.GROUP_COLLEAGUE,
    Basis.AUDIT,
]


@dataclass(frozen=True)
class Reach:
    basis: Basis
    unit_id: int
    purpose: str = ""


@dataclass
class Viewer:
    """A staff member's active places in the organisation at one moment, loaded once."""

    user: User | None
    now: dt.datetime
    roles: set[str] = field(default_factory=set)
    worker_group_ids: set[int] = field(default_factory=set)
    head_group_ids: set[int] = field(default_factory=set)
    head_unit_ids: set[int] = field(default_factory=set)
    quality_unit_ids: set[int] = field(default_factory=set)
    provider_ids: set[int] = field(default_factory=set)
    kundval_unit_ids: set[int] = field(default_factory=set)
    audit_purposes: dict[int, AuditPurpose] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    @classmethod
    def of(cls, user: User | AnonymousUser | None, now: dt.datetime | None = None) -> Viewer:
        now = now or timezone.now()
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(user=None, now=now)
        viewer = cls(user=user, now=now)
        today = viewer.today
        memberships = Membership.objects.active(today).filter(user=user).select_related("unit")
        for m in memberships:
            viewer.roles.add(m.role)
            if m.role == Role.SOCIAL_WORKER and m.group_id:
                viewer.worker_group_ids.add(m.group_id)
            elif m.role == Role.GROUP_HEAD and m.group_id:
                viewer.head_group_ids.add(m.group_id)
            elif m.role == Role.UNIT_HEAD and m.unit_id:
                viewer.head_unit_ids.add(m.unit_id)
            elif m.role == Role.QUALITY_DEVELOPER and m.unit is not None:
                viewer.quality_unit_ids.update(
                    Unit.objects.filter(process_id=m.unit.process_id).values_list("id", flat=True)
                )
            elif m.role == Role.PROVIDER_STAFF and m.provider_id:
                viewer.provider_ids.add(m.provider_id)
            elif m.role == Role.KUNDVAL_OFFICER and m.unit_id:
                viewer.kundval_unit_ids.add(m.unit_id)
        if viewer.quality_unit_ids:
            purposes = AuditPurpose.objects.filter(
                user=user,
                unit_id__in=viewer.quality_unit_ids,
                started_at__lte=now,
                expires_at__gt=now,
            ).order_by("started_at")
            viewer.audit_purposes = {p.unit_id: p for p in purposes}
        return viewer

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    # --- What a viewer may do at all --------------------------------------------------------------

    @property
    def is_system_admin(self) -> bool:
        return self.user is not None and (
            Role.SYSTEM_ADMIN in self.roles or bool(self.user.is_superuser)
        )

    @property
    def is_municipal_staff(self) -> bool:
        return bool(self.roles - {Role.PROVIDER_STAFF})

    @property
    def may_search_individuals(self) -> bool:
        return bool(
            self.worker_group_ids
            or self.head_group_ids
            or self.head_unit_ids
            or self.audit_purposes
            or self._has_assignments()
        )

    @property
    def may_register_individuals(self) -> bool:
        return bool(self.worker_group_ids or self.head_group_ids)

    @property
    def may_register_reports(self) -> bool:
        """A report (orosanmälan) goes into one's own group: its social workers and head."""
        return bool(self.worker_group_ids or self.head_group_ids)

    @property
    def import_unit_ids(self) -> set[int]:
        """Units this viewer may import history into: those they head or head a group in."""
        if not self.head_group_ids:
            return set(self.head_unit_ids)
        heads = Group.objects.filter(pk__in=self.head_group_ids).values_list("unit_id", flat=True)
        return self.head_unit_ids | set(heads)

    @property
    def may_import(self) -> bool:
        return bool(self.head_unit_ids or self.head_group_ids)

    @property
    def review_unit_ids(self) -> set[int]:
        """Units whose access log this viewer may review."""
        return self.head_unit_ids | self.quality_unit_ids

    @property
    def may_state_audit_purpose(self) -> bool:
        return bool(self.quality_unit_ids)

    @property
    def sees_municipal_figures(self) -> bool:
        """Directors and board secretaries follow the whole municipality's figures (counts only)."""
        return self.has_role(Role.DIRECTOR, Role.BOARD_SECRETARY)

    @property
    def may_see_compliance_figures(self) -> bool:
        """Compliance figures: heads of their units or groups, quality developers, leadership."""
        return bool(
            self.sees_municipal_figures
            or self.head_unit_ids
            or self.head_group_ids
            or self.quality_unit_ids
        )

    def _has_assignments(self) -> bool:
        return self.user is not None and _active_assignments(self.user, self.today).exists()

    # --- Which cases and individuals a viewer reaches --------------------------------------------

    def case_filter(self) -> Q:
        if self.user is None:
            return Q(pk__in=[])
        today = self.today
        recent = today - dt.timedelta(days=settings.TILLIT_CLOSED_CASE_ACCESS_DAYS)
        current = Q(closed_on__isnull=True) | Q(closed_on__gte=recent)
        assigned = Exists(_active_assignments(self.user, today).filter(case=OuterRef("pk")))
        q = Q(assigned) & current
        if self.worker_group_ids:
            q |= Q(group_id__in=self.worker_group_ids) & current
        if self.head_group_ids:
            q |= Q(group_id__in=self.head_group_ids)
        if self.head_unit_ids:
            q |= Q(unit_id__in=self.head_unit_ids)
        if self.audit_purposes:
            q |= Q(unit_id__in=list(self.audit_purposes))
        return q

    def cases(self) -> QuerySet[Case]:
        return Case.objects.filter(self.case_filter())

    def reachable_case_ids(self, case_ids: Iterable[int | None]) -> set[int]:
        """Of these cases, those this viewer reaches (in one query).

        Pages ask this before linking to a record (a report, an investigation): a record in a
        case outside the viewer's reach answers 404, so the link is not shown.
        """
        wanted = {case_id for case_id in case_ids if case_id is not None}
        if self.user is None or not wanted:
            return set()
        return set(self.cases().filter(pk__in=wanted).values_list("pk", flat=True))

    def individuals(self) -> QuerySet[Individual]:
        if self.user is None:
            return Individual.objects.none()
        reachable = Case.objects.filter(self.case_filter(), individual=OuterRef("pk"))
        return Individual.objects.filter(Exists(reachable))

    def reach(self, individual: Individual) -> Reach | None:
        """The best reason this viewer may read the individual, or None."""
        return self.reaches([individual.pk]).get(individual.pk)

    def reaches(self, individual_ids: list[int]) -> dict[int, Reach]:
        """The best reason for each reachable individual among these; the others are absent."""
        if self.user is None or not individual_ids:
            return {}
        best: dict[int, Reach] = {}
        cases = (
            self.cases().filter(individual_id__in=individual_ids).prefetch_related("assignments")
        )
        for case in cases:
            found = self.case_reach(case)
            current = best.get(case.individual_id)
            if current is None or _PREFERENCE.index(found.basis) < _PREFERENCE.index(current.basis):
                best[case.individual_id] = found
        return best

    def case_reach(self, case: Case) -> Reach:
        """Why this viewer reaches a case it is known to reach (from `cases()`)."""
        today = self.today
        active = [a for a in case.assignments.all() if a.is_active(today)]
        if any(a.user_id == getattr(self.user, "pk", None) for a in active):
            return Reach(Basis.ASSIGNMENT, case.unit_id)
        if case.group_id in self.worker_group_ids:
            basis = Basis.GROUP_COLLEAGUE if active else Basis.GROUP_QUEUE
            if case.group_id in self.head_group_ids:
                basis = Basis.GROUP_HEAD
            return Reach(basis, case.unit_id)
        if case.group_id in self.head_group_ids:
            return Reach(Basis.GROUP_HEAD, case.unit_id)
        if case.unit_id in self.head_unit_ids:
            return Reach(Basis.UNIT_HEAD, case.unit_id)
        purpose = self.audit_purposes.get(case.unit_id)
        if purpose is not None:
            return Reach(Basis.AUDIT, case.unit_id, purpose.purpose)
        raise LookupError("case_reach called for a case outside the viewer's reach")

    # --- Kundval: who the viewer is there; whom that reaches is in tillit.kundval.reach -------

    @property
    def is_provider_staff(self) -> bool:
        return bool(self.provider_ids)

    @property
    def is_kundval_officer(self) -> bool:
        return bool(self.kundval_unit_ids)

    # --- What a viewer may see of an individual --------------------------------------------------

    def identity_visible_ids(self, individual_ids: list[int]) -> set[int]:
        """Of these individuals, those whose protected identity this viewer may see."""
        if self.user is None:
            return set()
        today = self.today
        return set(
            ProtectedIdentityGrant.objects.filter(
                active_on(today), user=self.user, individual_id__in=individual_ids
            ).values_list("individual_id", flat=True)
        )

    def log_review_reaches(self, rows: list[tuple[int, int | None]]) -> dict[int, Reach]:
        """Of the individuals named in log rows (individual id, the row's unit), those whose
        identity this reviewer may see in the log review, and why.

        Only a reviewer who reaches the person through a case today (the case rules above), or
        who has a live stated audit purpose for the unit the row was read in. Everyone else
        sees a pseudonymous reference, so reviewing reads never shows more than the reviewer
        could read themselves.
        """
        if self.user is None or not rows:
            return {}
        found = self.reaches(sorted({pk for pk, _unit in rows}))
        for pk, unit_id in rows:
            purpose = self.audit_purposes.get(unit_id) if unit_id is not None else None
            if pk not in found and purpose is not None:
                found[pk] = Reach(Basis.AUDIT, purpose.unit_id, purpose.purpose)
        return found

    def may_see_individual_log(self, reach: Reach | None) -> bool:
        return reach is not None and reach.basis in {Basis.UNIT_HEAD, Basis.AUDIT}

    def may_see_change_history(self, reach: Reach | None, identity_masked: bool) -> bool:
        """An individual's change history: for those who may see its access log, and only when
        the identity is not masked for them (the history holds the unmasked values)."""
        return self.may_see_individual_log(reach) and not identity_masked

    def may_grant_protected_identity(self, reach: Reach | None) -> bool:
        return reach is not None and reach.basis == Basis.UNIT_HEAD


def _active_assignments(user: User, today: dt.date) -> QuerySet[CaseAssignment]:
    return CaseAssignment.objects.filter(active_on(today), user=user)
