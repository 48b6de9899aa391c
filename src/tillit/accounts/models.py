"""Staff accounts. Roles and places in the organisation live in organisation.Membership."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who logs in to Tillit: municipal staff, provider staff or a system account."""

    title = models.CharField(_("befattning"), max_length=120, blank=True)
    is_system_account = models.BooleanField(
        _("systemkonto"),
        default=False,
        help_text=_("Ett konto för ett annat system som använder API:t, inte för en person."),
    )
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class EnrolmentCode(models.Model):
    """A one-time code an administrator gives a user to enrol a second factor.

    Only the code's SHA-256 is stored; it expires, is used once, and a new code revokes the
    user's earlier ones. The rows are the record of who issued which code and when it was used.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="enrolment_codes", verbose_name=_("användare")
    )
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("utfärdad av"),
    )
    issued_by_label = models.CharField(_("utfärdad av (som den hette)"), max_length=200)
    issued_at = models.DateTimeField(_("utfärdad"))
    expires_at = models.DateTimeField(_("gäller till"))
    used_at = models.DateTimeField(_("använd"), null=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True)
    failed_attempts = models.PositiveSmallIntegerField(_("felaktiga försök"), default=0)

    class Meta:
        verbose_name = _("registreringskod för tvåstegsverifiering")
        verbose_name_plural = _("registreringskoder för tvåstegsverifiering")
        indexes = [models.Index(fields=["user", "code_hash"], name="enrolmentcode_user_hash")]

    def __str__(self) -> str:
        return f"{self.user} {self.issued_at:%Y-%m-%d %H:%M}"
