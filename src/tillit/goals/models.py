"""Goals (council → board → unit), their indicators and targets, follow-ups, and the figures
they are read against: Tillit's own, stored per year and unit, and national values in Kolada's
shape with each municipality's standing among those with data (see docs/goals.md)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.organisation.models import Board, Unit

SORT_SCALE = 10_000  # NationalValue.value has four decimals


class Level(models.TextChoices):
    COUNCIL = "fullmaktige", _("Kommunfullmäktige")
    BOARD = "namnd", _("Nämnd")
    UNIT = "enhet", _("Enhet")


class Direction(models.TextChoices):
    HIGHER = "hogre", _("Högre är bättre")
    LOWER = "lagre", _("Lägre är bättre")


class SourceKind(models.TextChoices):
    OWN = "egen", _("Tillits egna data")
    SURVEY = "enkat", _("Brukarundersökning")
    KOLADA = "kolada", _("Kolada")


class PeriodType(models.TextChoices):
    YEAR = "ar", _("År")
    QUARTER = "kvartal", _("Kvartal")
    MONTH = "manad", _("Månad")


class OwnMeasure(models.TextChoices):
    """The figures Tillit computes from its own data (tillit.goals.own)."""

    NONE = "", _("Ingen (nationellt nyckeltal)")
    PROTECTIVE_ON_TIME = "skydd_i_tid", _("Skyddsbedömningar i tid, andel")
    INITIAL_ON_TIME = "forhand_i_tid", _("Förhandsbedömningar i tid, andel")
    INVESTIGATION_ON_TIME = "utredning_i_tid", _("Utredningar i tid, andel")
    COST_PER_CUSTOMER_MONTH = "kostnad_kundmanad", _("Kostnad per kund och månad")
    COST_PER_HOUR = "kostnad_timme", _("Kostnad per timme")
    ACTIVE_CHOICE = "aktivt_val", _("Kunder som valt aktivt, andel")
    PROVIDER_CHANGES = "byten", _("Byten av anordnare per 100 kunder")


class Indicator(models.Model):
    """A figure goals are followed with: a Kolada KPI (code = its id, e.g. U21468), one of
    Tillit's own figures (code chosen here, e.g. EGEN-FHB-I-TID), or a question of the imported
    user surveys (tillit.surveys, read by tillit.goals.survey)."""

    code = models.CharField(_("kod"), max_length=40, unique=True)
    title = models.CharField(_("namn"), max_length=300)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("enhet"), max_length=30, help_text=_("Till exempel %, kr, antal."))
    direction = models.CharField(_("bättre är"), max_length=10, choices=Direction.choices)
    source = models.CharField(_("källa"), max_length=10, choices=SourceKind.choices)
    period_type = models.CharField(
        _("periodtyp"), max_length=10, choices=PeriodType.choices, default=PeriodType.YEAR
    )
    own_measure = models.CharField(
        _("beräknas från"), max_length=30, choices=OwnMeasure.choices, blank=True
    )
    survey_measure = models.CharField(
        _("mått i brukarundersökningen"),
        max_length=40,
        blank=True,
        help_text=_("Måttets kod i de inlästa brukarundersökningarna, till exempel helhet."),
    )
    service_kind = models.CharField(
        _("tjänst"), max_length=32, blank=True, help_text=_("För kundvalets nyckeltal.")
    )
    is_cost = models.BooleanField(_("kostnadsmått"), default=False)
    national_counterpart = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_counterparts",
        verbose_name=_("nationellt jämförelsemått"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source=SourceKind.KOLADA, own_measure="", survey_measure="")
                | Q(source=SourceKind.OWN, survey_measure="") & ~Q(own_measure="")
                | Q(source=SourceKind.SURVEY, own_measure="") & ~Q(survey_measure=""),
                name="indicator_source_has_measure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def higher_is_better(self) -> bool:
        return self.direction == Direction.HIGHER


class KoladaLoad(models.Model):
    """One file of national values loaded (from the API or a file in its shape)."""

    loaded_at = models.DateTimeField(_("inläst"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inläst av"),
    )
    file_name = models.CharField(_("fil"), max_length=200)
    source_note = models.CharField(_("källa"), max_length=200)
    rows = models.PositiveIntegerField(_("värden"))

    class Meta:
        verbose_name = _("inläsning från Kolada")
        verbose_name_plural = _("inläsningar från Kolada")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} {self.loaded_at:%Y-%m-%d}"


class NationalValue(models.Model):
    """A Kolada value (gender T) for one municipality and year; 0000 is Riket."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    municipality = models.CharField(_("kommunkod"), max_length=4)
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("värde"), max_digits=18, decimal_places=4)
    # The value in "better" order, smallest best: value × 10,000 as a whole number (exact: four
    # decimals, at most 18 digits), negated when higher is better (see sort_key). Set when the
    # value is loaded and checked by standings.refresh(), so that ranking reads the index below
    # in order instead of sorting numerics by a CASE over the indicator's direction.
    better = models.BigIntegerField(null=True, editable=False)
    load = models.ForeignKey(KoladaLoad, on_delete=models.PROTECT, related_name="values")

    class Meta:
        verbose_name = _("nationellt värde")
        verbose_name_plural = _("nationella värden")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "municipality"], name="nationalvalue_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "indicator", "year"]),
            models.Index(
                fields=["indicator", "year", "better"],
                include=["municipality", "value"],
                name="nationalvalue_better_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.municipality} {self.year}: {self.value}"

    @staticmethod
    def sort_key(value: Decimal, *, higher_is_better: bool) -> int:
        """`better` for a value: smaller is better, equal values equal."""
        scaled = int((value * SORT_SCALE).to_integral_value(rounding=ROUND_HALF_UP))
        return -scaled if higher_is_better else scaled


class Standing(models.Model):
    """A municipality's rank among the municipalities with a value for an indicator and year
    (Riket left out), kept in step with NationalValue by tillit.goals.standings.refresh."""

    # Derived rows, rewritten whole after each load: a database constraint would check each of
    # up to a million rows at commit for no extra safety (the values they come from have one).
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    municipality = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=18, decimal_places=4)
    rank = models.PositiveIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "municipality"], name="standing_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "indicator", "year"]),
            # The p % lines: the value at a place, found from the end of the places inside.
            models.Index(
                fields=["indicator", "year", "rank"], include=["value"], name="standing_by_rank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.rank}/{self.count}"


class OwnValue(models.Model):
    """One of Tillit's own figures for a year, for the whole municipality (unit empty) or one
    unit; stored when computed so that trends and the board's papers stay as they were."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="own_values")
    year = models.PositiveSmallIntegerField(_("år"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(_("värde"), max_digits=18, decimal_places=4, null=True)
    basis = models.PositiveIntegerField(_("underlag (antal)"), default=0)
    computed_at = models.DateTimeField(_("beräknad"))
    note = models.CharField(_("anmärkning"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("eget värde")
        verbose_name_plural = _("egna värden")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(unit__isnull=True),
                name="ownvalue_unique_municipal",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "unit"],
                condition=Q(unit__isnull=False),
                name="ownvalue_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


class Goal(models.Model):
    """A goal adopted by a body: the council's overall goals, a board's goals under them, a
    unit's goals under the board's."""

    level = models.CharField(_("nivå"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("bidrar till"),
    )
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, null=True, blank=True, related_name="goals"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="goals"
    )
    title = models.CharField(_("mål"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    adopted_by = models.CharField(_("antaget av"), max_length=120)
    adopted_on = models.DateField(_("antaget den"))
    first_year = models.PositiveSmallIntegerField(_("gäller från år"))
    last_year = models.PositiveSmallIntegerField(_("gäller till och med år"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["level", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=Level.COUNCIL, board__isnull=True, unit__isnull=True)
                | Q(level=Level.BOARD, board__isnull=False, unit__isnull=True)
                | Q(level=Level.UNIT, board__isnull=False, unit__isnull=False),
                name="goal_level_place",
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="goal_years"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TargetKind(models.TextChoices):
    LEVEL = "niva", _("Nivå")
    RANK = "placering", _("Placering bland kommunerna")


class Target(models.Model):
    """An indicator a goal is followed with and what counts as reaching it: a level (at least
    or at most, by the indicator's direction) or being among the best share of municipalities."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    kind = models.CharField(_("typ av mål"), max_length=12, choices=TargetKind.choices)
    level = models.DecimalField(
        _("målnivå"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    best_percent = models.PositiveSmallIntegerField(_("bland de bästa (%)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")
        ordering = ["goal", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "indicator"], name="target_unique"),
            models.CheckConstraint(
                condition=Q(kind=TargetKind.LEVEL, level__isnull=False, best_percent__isnull=True)
                | Q(
                    kind=TargetKind.RANK,
                    level__isnull=True,
                    best_percent__gte=1,
                    best_percent__lte=100,
                ),
                name="target_kind_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal} – {self.indicator.code}"


class Assessment(models.TextChoices):
    MET = "uppnatt", _("Uppnått")
    PARTLY = "delvis", _("Delvis uppnått")
    NOT_MET = "ej_uppnatt", _("Inte uppnått")


class FollowUp(models.Model):
    """A goal's follow-up for a period (a year, or a tertial or quarter as 2026-K2)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="follow_ups")
    period = models.CharField(_("period"), max_length=10)
    assessment = models.CharField(_("bedömning"), max_length=12, choices=Assessment.choices)
    comment = models.TextField(_("kommentar"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField(_("datum"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["goal", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "period"], name="followup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.goal} {self.period}"


class GroupKind(models.TextChoices):
    OWN = "egen", _("Egen jämförelsegrupp")
    KOLADA = "kolada", _("Koladas grupp")


class ComparisonGroup(models.Model):
    """Municipalities to compare with: user-defined, or one of Kolada's groups (e.g. liknande
    kommuner) read from a file in the API's shape."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=10, choices=GroupKind.choices)
    kolada_id = models.CharField(_("Koladas id"), max_length=20, blank=True)
    members = models.JSONField(_("kommuner"), default=list)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jämförelsegrupp")
        verbose_name_plural = _("jämförelsegrupper")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
