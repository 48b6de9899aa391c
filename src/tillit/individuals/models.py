"""The individuals services are about, their relations, and the cases (ärenden) that hold them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.individuals.identity import IdentityNumber
from tillit.organisation.models import Group, Unit
from tillit.periods import Period, period_order


class Protection(models.TextChoices):
    NONE = "none", _("Ingen")
    CONFIDENTIALITY_MARKING = "sekretessmarkering", _("Sekretessmarkering")
    PROTECTED_REGISTRATION = "skyddad_folkbokforing", _("Skyddad folkbokföring")
    FICTITIOUS_IDENTITY = "fingerade_personuppgifter", _("Fingerade personuppgifter")


class Individual(models.Model):
    personal_number = models.CharField(
        _("personnummer eller samordningsnummer"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Tolv siffror, ÅÅÅÅMMDDNNNN."),
    )
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    date_of_birth = models.DateField(_("födelsedatum"))
    street_address = models.CharField(_("gatuadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=6, blank=True)
    city = models.CharField(_("postort"), max_length=100, blank=True)
    protection = models.CharField(
        _("skyddade personuppgifter"),
        max_length=32,
        choices=Protection.choices,
        default=Protection.NONE,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enskild")
        verbose_name_plural = _("enskilda")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_protected(self) -> bool:
        return self.protection != Protection.NONE

    @property
    def identity_number(self) -> IdentityNumber | None:
        return IdentityNumber(self.personal_number) if self.personal_number else None


class RelationKind(models.TextChoices):
    GUARDIAN = "vardnadshavare", _("Vårdnadshavare")
    PARENT = "foralder", _("Förälder")
    SIBLING = "syskon", _("Syskon")
    OTHER = "annan", _("Annan närstående")


class Relation(models.Model):
    """`relative` is the `kind` of `individual`: e.g. the relative is the individual's guardian."""

    individual = models.ForeignKey(Individual, on_delete=models.CASCADE, related_name="relations")
    relative = models.ForeignKey(Individual, on_delete=models.CASCADE, related_name="relatives_of")
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relationer")
        constraints = [
            models.UniqueConstraint(
                fields=["individual", "relative", "kind"], name="relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(individual=models.F("relative")), name="relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relative_id} {self.kind} {self.individual_id}"


class Case(models.Model):
    """An ärende: the unit's (and group's) work with an individual. Access follows the case."""

    individual = models.ForeignKey(Individual, on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    opened_on = models.DateField(_("öppnat"))
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-opened_on"]
        indexes = [
            models.Index(fields=["group", "closed_on"]),
            models.Index(fields=["unit", "closed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, on: dt.date) -> bool:
        return self.opened_on <= on and (self.closed_on is None or self.closed_on >= on)


class CaseAssignment(Period):
    """A staff member assigned to a case (handläggare) for a period."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilldelning")
        verbose_name_plural = _("tilldelningar")
        indexes = [models.Index(fields=["user", "valid_to"])]
        constraints = [
            period_order("assignment_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.case}"
