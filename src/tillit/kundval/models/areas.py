"""Kundval areas (kundvalsområden), their districts and their authorisation terms."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.organisation.models import Municipality, Provider, Unit


class ServiceKind(models.TextChoices):
    HOME_CARE = "hemtjanst", _("Hemtjänst")
    HOUSING_SUPPORT = "boendestod", _("Boendestöd")
    DAILY_ACTIVITY = "daglig_verksamhet", _("Daglig verksamhet")
    DAY_CARE = "dagverksamhet", _("Dagverksamhet")
    ESCORT = "ledsagning", _("Ledsagning")
    RELIEF = "avlosning", _("Avlösning")
    OTHER = "annan", _("Annan tjänst")


class CompensationModel(models.TextChoices):
    """How a voucher turns into money; see tillit.kundval.compensation."""

    GRANTED_HOUR = "beviljad_timme", _("Per beviljad timme")
    PERFORMED_HOUR = "utford_timme", _("Per utförd timme")
    VISIT = "besok", _("Per besök")
    ATTENDANCE_DAY = "narvarodag", _("Per närvarodag")
    MONTHLY_LEVEL = "manad_niva", _("Per månad efter nivå")
    SUBSCRIPTION = "abonnemang", _("Månadsabonnemang")


class Extent(models.TextChoices):
    """Omfattning for monthly-level compensation (e.g. daglig verksamhet)."""

    NONE = "", _("Ingen")
    FULL = "heltid", _("Heltid")
    HALF = "halvtid", _("Halvtid")
    PART = "deltid", _("Deltid")


class KundvalArea(models.Model):
    """A kundvalsområde with its goals and frames, set by the municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="kundval_areas"
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="kundval_areas",
        verbose_name=_("ansvarig enhet"),
        help_text=_("Enheten som förvaltar kundvalet; läsningar loggas mot den."),
    )
    name = models.CharField(_("namn"), max_length=120)
    service_kind = models.CharField(_("tjänst"), max_length=32, choices=ServiceKind.choices)
    description = models.TextField(
        _("beskrivning av tjänsten"),
        blank=True,
        help_text=_("Vad kunden får; krävs när tjänsten är en annan än de fasta."),
    )
    goals = models.TextField(_("mål och ramar"), blank=True)
    compensation_model = models.CharField(
        _("ersättningsmodell"), max_length=20, choices=CompensationModel.choices
    )
    cap_by_decision = models.BooleanField(
        _("tak enligt beslut"),
        default=False,
        help_text=_("Utförd tid ersätts högst med den beviljade tiden."),
    )
    separate_rates = models.BooleanField(
        _("skilda ersättningar för kommunala och privata anordnare"), default=False
    )
    default_provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="default_for_areas",
        verbose_name=_("ickevalsalternativ"),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("omvalsfrist (dagar)"),
        default=0,
        help_text=_("Ett omval gäller tidigast så många dagar efter att det gjordes."),
    )
    # Raised by every change; the edit page carries it (tillit.versioning).
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kundvalsområde")
        verbose_name_plural = _("kundvalsområden")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="kundvalarea_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class DistrictQuerySet(models.QuerySet["District"]):
    def open_on(self, on: dt.date) -> DistrictQuerySet:
        """Districts in use on the date: started (or no start) and not yet closed."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class District(models.Model):
    """A geographic district; linked to the areas it is used in.

    A district is closed by giving it a last day (`valid_to`): no new decision or application
    names it after that day, while the vouchers already in it run on. `valid_from` empty means
    it has been in use since before Tillit.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="kundval_districts"
    )
    name = models.CharField(_("namn"), max_length=120)
    areas = models.ManyToManyField(
        KundvalArea, related_name="districts", verbose_name=_("kundvalsområden")
    )
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_to = models.DateField(_("gäller till och med"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[areas])

    objects = DistrictQuerySet.as_manager()

    class Meta:
        verbose_name = _("geografiskt område")
        verbose_name_plural = _("geografiska områden")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="district_unique"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="district_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )


class AuthorisationTerms(models.Model):
    """A version of the general (no area) or area-specific authorisation terms."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="authorisation_terms"
    )
    area = models.ForeignKey(
        KundvalArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="terms",
        verbose_name=_("kundvalsområde"),
        help_text=_("Tomt för de allmänna villkoren."),
    )
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    title = models.CharField(_("rubrik"), max_length=200)
    valid_from = models.DateField(_("gäller från"))
    text = models.TextField(_("villkor"), blank=True)
    document = models.FileField(_("dokument"), upload_to="kundval/villkor/", blank=True)
    checklist = models.TextField(
        _("checklista"),
        blank=True,
        help_text=_("En punkt per rad; granskningen av en ansökan bockar av varje punkt."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("auktorisationsvillkor")
        verbose_name_plural = _("auktorisationsvillkor")
        ordering = ["area__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "version"],
                condition=Q(area__isnull=False),
                name="terms_area_version_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "version"],
                condition=Q(area__isnull=True),
                name="terms_general_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]
