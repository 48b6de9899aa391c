"""The municipality's organisation: boards, processes, units, groups, providers and memberships."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.se import orgnr

from tillit.organisation.roles import GROUP_ROLES, PROVIDER_ROLES, UNIT_ROLES, Role
from tillit.periods import Period, active_on, period_order


class Municipality(models.Model):
    name = models.CharField(_("namn"), max_length=120, unique=True)
    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name


class Board(models.Model):
    """A political board (nämnd), e.g. socialnämnden."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="boards")
    name = models.CharField(_("namn"), max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nämnd")
        verbose_name_plural = _("nämnder")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="board_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Process(models.Model):
    """A main process such as Social omsorg, owned by a director (processägare)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="processes"
    )
    name = models.CharField(_("namn"), max_length=120)
    boards = models.ManyToManyField(Board, related_name="processes", verbose_name=_("nämnder"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_processes",
        verbose_name=_("processägare"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processer")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="process_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An enhet, run by an enhetschef (the membership with that role)."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("namn"), max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def heads(self, on: dt.date) -> models.QuerySet[Membership]:
        return Membership.objects.active(on).filter(unit=self, role=Role.UNIT_HEAD)


class Group(models.Model):
    """A grupp within a unit, run by a gruppchef."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("namn"), max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grupp")
        verbose_name_plural = _("grupper")
        ordering = ["unit__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="group_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} – {self.name}"


def validate_organisation_number(value: str) -> None:
    if not orgnr.is_valid(value):
        raise ValidationError(_("Organisationsnumret är inte giltigt."), code="invalid")


def canonical_organisation_number(value: str) -> str:
    """The one stored form of a valid organisation number: NNNNNN-NNNN, however it was typed
    (with or without hyphen, spaces). The database refuses any other form (see the constraint)."""
    return orgnr.format(value)


# Stored organisation numbers are always NNNNNN-NNNN; the constraint keeps `update()` and raw
# writes honest too, so that lookups by the canonical form never miss a row.
CANONICAL_ORGANISATION_NUMBER = r"^[0-9]{6}-[0-9]{4}$"


class ProviderQuerySet(models.QuerySet["Provider"]):
    def by_organisation_number(self, value: str) -> ProviderQuerySet:
        """Providers with this organisation number, in whatever form it was typed."""
        if not orgnr.is_valid(value):
            return self.none()
        return self.filter(organisation_number=canonical_organisation_number(value))


class Provider(models.Model):
    """An anordnare. The municipality's own units that provide services are providers too."""

    name = models.CharField(_("namn"), max_length=200)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        unique=True,
        validators=[validate_organisation_number],
    )
    is_municipal = models.BooleanField(_("kommunal anordnare"), default=False)
    unit = models.OneToOneField(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provider",
        verbose_name=_("kommunal enhet"),
    )
    history = HistoricalRecords()

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("anordnare")
        verbose_name_plural = _("anordnare")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_municipal=False, unit__isnull=True) | Q(is_municipal=True),
                name="provider_unit_only_if_municipal",
            ),
            models.CheckConstraint(
                condition=Q(organisation_number__regex=CANONICAL_ORGANISATION_NUMBER),
                name="provider_orgnr_canonical",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.organisation_number = canonical_organisation_number(self.organisation_number)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: dt.date) -> MembershipQuerySet:
        return self.filter(active_on(on))


class Membership(Period):
    """A staff member's role in a unit, a group or a provider, for a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        indexes = [models.Index(fields=["user", "role"])]
        constraints = [
            period_order("membership_period_order"),
            models.CheckConstraint(
                condition=Q(group__isnull=True) | Q(unit__isnull=False),
                name="membership_group_has_unit",
            ),
        ]

    def __str__(self) -> str:
        place = self.group or self.unit or self.provider or ""
        return f"{self.user} – {self.get_role_display()} {place}".strip()

    def clean(self) -> None:
        role = Role(self.role)
        if self.group is not None and self.unit_id and self.group.unit_id != self.unit_id:
            raise ValidationError({"group": _("Gruppen hör inte till den valda enheten.")})
        if role in GROUP_ROLES and not self.group_id:
            raise ValidationError({"group": _("Rollen kräver en grupp.")})
        if role in UNIT_ROLES and not self.unit_id:
            raise ValidationError({"unit": _("Rollen kräver en enhet.")})
        if role in PROVIDER_ROLES and not self.provider_id:
            raise ValidationError({"provider": _("Rollen kräver en anordnare.")})
        if role not in PROVIDER_ROLES and self.provider_id:
            raise ValidationError(
                {"provider": _("Endast anordnarpersonal knyts till en anordnare.")}
            )
