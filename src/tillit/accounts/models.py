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
