"""Who sees what: the units and groups a viewer's figures cover, and where the grounds of
extensions may be shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.access.policy import Basis, Viewer
from tillit.organisation.models import Group, Unit

UNIT = "enhet"
GROUP = "grupp"
LEVELS = {UNIT: _("Enhet"), GROUP: _("Grupp")}


@dataclass(frozen=True)
class Scope:
    """The part of the organisation a viewer's figures cover; reasons only where case data is."""

    whole: bool
    unit_ids: frozenset[int]
    group_ids: frozenset[int]
    head_unit_ids: frozenset[int]
    reason_unit_ids: frozenset[int]

    @classmethod
    def of(cls, viewer: Viewer) -> Scope | None:
        if not viewer.may_see_compliance_figures:
            return None
        unit_ids = frozenset(viewer.head_unit_ids | viewer.quality_unit_ids)
        group_ids = frozenset(viewer.head_group_ids)
        return cls(
            whole=viewer.sees_municipal_figures,
            unit_ids=unit_ids,
            group_ids=group_ids,
            head_unit_ids=frozenset(viewer.head_unit_ids),
            reason_unit_ids=frozenset(viewer.review_unit_ids),
        )

    @property
    def levels(self) -> list[str]:
        """A group head sees only their groups, so no unit-wide row."""
        return [UNIT, GROUP] if self.whole or self.unit_ids else [GROUP]

    @property
    def may_see_reasons(self) -> bool:
        return bool(self.reason_unit_ids)

    def condition(self, level: str, prefix: str = "") -> Q:
        """Which deadline rows (or, through `prefix`, which cases) a level's figures read."""
        if self.whole:
            return Q()
        if level == UNIT:
            return Q(**{f"{prefix}unit_id__in": self.unit_ids})
        return Q(**{f"{prefix}unit_id__in": self.unit_ids}) | Q(
            **{f"{prefix}group_id__in": self.group_ids}
        )

    def places(self, level: str) -> dict[int | None, str]:
        """The units or groups always listed (with zeros if nothing happened)."""
        if self.whole:
            return {}
        if level == UNIT:
            return dict(Unit.objects.filter(pk__in=self.unit_ids).values_list("pk", "name"))
        groups = Group.objects.filter(Q(unit_id__in=self.unit_ids) | Q(pk__in=self.group_ids))
        return dict(groups.values_list("pk", "name"))


def reason_basis(scope: Scope, unit_id: int) -> Basis:
    return Basis.UNIT_HEAD if unit_id in scope.head_unit_ids else Basis.OWN_ROLE
