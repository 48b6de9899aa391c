"""An import of historical reports from a CSV file: checked first, then written in one go."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.organisation.models import Group


class ImportStatus(models.TextChoices):
    CHECKING = "kontrolleras", _("Filen kontrolleras")
    REFUSED = "fel_i_filen", _("Fel i filen – inget importerat")
    CHECKED = "kontrollerad", _("Kontrollerad – väntar på bekräftelse")
    QUEUED = "i_ko", _("I kö")
    RUNNING = "pagar", _("Importeras")
    DONE = "klar", _("Importerad")
    FAILED = "misslyckades", _("Misslyckades – inget importerat")


class ReportImport(models.Model):
    """One uploaded file on its way in. The file is deleted once it is imported or refused.

    `errors` lists every bad row as {"line": n, "reasons": [...]}; the reasons name columns
    and rules, never the row's personal data, so the list can be shown and kept.
    """

    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("mottagande grupp")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )
    created_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    file = models.FileField(_("fil"), upload_to="import/%Y/%m/", blank=True)
    original_name = models.CharField(_("filnamn"), max_length=200)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices)
    total_rows = models.PositiveIntegerField(_("rader"), default=0)
    done_rows = models.PositiveIntegerField(_("behandlade rader"), default=0)
    phase = models.CharField(_("steg"), max_length=40, blank=True)
    errors = models.JSONField(_("felaktiga rader"), default=list)
    late_without_reason = models.PositiveIntegerField(
        _("försenade moment utan registrerat skäl"), default=0
    )
    reports_created = models.PositiveIntegerField(_("importerade anmälningar"), default=0)
    deadlines_created = models.PositiveIntegerField(_("skapade tidsgränser"), default=0)
    rows_per_second = models.FloatField(_("rader per sekund"), null=True, blank=True)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    message = models.TextField(_("meddelande"), blank=True)

    class Meta:
        verbose_name = _("import av anmälningar")
        verbose_name_plural = _("importer av anmälningar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.done_rows / self.total_rows))

    @property
    def in_progress(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.RUNNING)
