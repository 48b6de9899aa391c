"""A report of concern (orosanmälan) and the children it concerns: one track per child."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.individuals.models import Case, Individual
from tillit.organisation.models import Group, Unit


class Channel(models.TextChoices):
    PHONE = "telefon", _("Telefon")
    LETTER = "brev", _("Brev")
    E_SERVICE = "e_tjanst", _("E-tjänst")
    POLICE = "polisanmalan", _("Polisanmälan")
    IN_PERSON = "besok", _("Personligt besök")
    OTHER = "annat", _("Annat")


class ReporterCategory(models.TextChoices):
    POLICE = "polis", _("Polis")
    HEALTH_CARE = "halso_och_sjukvard", _("Hälso- och sjukvård")
    CHILD_HEALTH_CENTRE = "bvc", _("Barnavårdscentral")
    PRESCHOOL = "forskola", _("Förskola")
    SCHOOL = "skola", _("Skola")
    SOCIAL_SERVICES = "socialtjanst", _("Socialtjänst")
    OTHER_AUTHORITY = "annan_myndighet", _("Annan myndighet")
    RELATIVE = "anhorig", _("Anhörig")
    NEIGHBOUR = "granne", _("Granne")
    CHILD = "barnet", _("Barnet självt")
    ANONYMOUS = "anonym", _("Anonym")
    OTHER = "annan", _("Annan")


class ConcernCategory(models.TextChoices):
    VIOLENCE = "vald_mot_barnet", _("Våld mot barnet")
    WITNESSED_VIOLENCE = "bevittnat_vald", _("Bevittnat våld i nära relation")
    HONOUR = "hedersrelaterat", _("Hedersrelaterat våld och förtryck")
    PARENT_ILLNESS = "foralders_missbruk", _("Förälders missbruk eller psykiska ohälsa")
    NEGLECT = "omsorgssvikt", _("Omsorgssvikt")
    SEXUAL_ABUSE = "sexuella_overgrepp", _("Sexuella övergrepp")
    OWN_BEHAVIOUR = "eget_beteende", _("Barnets eget beteende eller brott")
    OTHER = "annat", _("Annat")


# A report about any of these is a report about violence: its violence questions must be answered.
VIOLENCE_CONCERNS = frozenset(
    {
        ConcernCategory.VIOLENCE,
        ConcernCategory.WITNESSED_VIOLENCE,
        ConcernCategory.HONOUR,
        ConcernCategory.SEXUAL_ABUSE,
    }
)


class Report(models.Model):
    """One orosanmälan as received. An anonymous report stores no identity of the reporter."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="reports", verbose_name=_("mottagande grupp")
    )
    received_at = models.DateTimeField(_("mottagen"))
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    reporter_category = models.CharField(
        _("anmälare"), max_length=24, choices=ReporterCategory.choices
    )
    reporter_has_duty = models.BooleanField(_("anmälningsskyldig"), default=False)
    anonymous = models.BooleanField(_("anonym anmälan"), default=False)
    reporter_name = models.CharField(_("anmälarens namn"), max_length=200, blank=True)
    reporter_organisation = models.CharField(_("anmälarens verksamhet"), max_length=200, blank=True)
    reporter_phone = models.CharField(_("anmälarens telefon"), max_length=40, blank=True)
    reporter_email = models.EmailField(_("anmälarens e-post"), blank=True)
    withhold_reporter = models.BooleanField(
        _("anmälarens identitet sekretessbedöms mot familjen"), default=False
    )
    concerns = models.JSONField(_("oro för"), default=list)
    about_violence = models.BooleanField(_("gäller våld"), default=False, editable=False)
    description = models.TextField(_("beskrivning"))
    submission_key = models.UUIDField(_("inskickningsnyckel"), unique=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    registered_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("orosanmälan")
        verbose_name_plural = _("orosanmälningar")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["unit", "received_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | Q(
                    reporter_name="",
                    reporter_organisation="",
                    reporter_phone="",
                    reporter_email="",
                    withhold_reporter=False,
                ),
                name="report_anonymous_stores_no_identity",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Orosanmälan')} {timezone.localtime(self.received_at):%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        from tillit.children.rules import is_about_violence  # rules import these models

        self.about_violence = is_about_violence(self.concerns)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def concern_labels(self) -> list[str]:
        labels = dict(ConcernCategory.choices)
        return [str(labels.get(code, code)) for code in self.concerns]


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fil"), upload_to="anmalningar/%Y/%m/")
    original_name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    uploaded_at = models.DateTimeField(_("bifogad"), auto_now_add=True)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

    def __str__(self) -> str:
        return self.original_name


class ReportedChild(models.Model):
    """One child's track through a report: protective, risk and initial assessment.

    The track sits in a case of the receiving group, so reach follows the case.
    """

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="tracks")
    individual = models.ForeignKey(
        Individual, on_delete=models.PROTECT, related_name="reported_as_child"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="report_tracks")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_tracks",
        verbose_name=_("handläggare"),
    )
    received_at = models.DateTimeField(_("mottagen"))
    attached_to = models.ForeignKey(
        "children.Investigation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attached_reports",
        verbose_name=_("kopplad till pågående utredning"),
    )
    # Its rows of the generic deadlines (children.Deadline); `Deadline.objects.filter(track=…)`.
    deadlines = GenericRelation("children.Deadline", related_query_name="track")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anmälan om barn")
        verbose_name_plural = _("anmälningar om barn")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["individual", "received_at"])]
        constraints = [
            models.UniqueConstraint(fields=["report", "individual"], name="track_child_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.individual_id}"
