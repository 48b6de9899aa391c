"""The roles a staff member can hold, and which of them reach case data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SOCIAL_WORKER = "socialsekreterare", _("Socialsekreterare")
    GROUP_HEAD = "gruppchef", _("Gruppchef")
    UNIT_HEAD = "enhetschef", _("Enhetschef")
    QUALITY_DEVELOPER = "kvalitetsutvecklare", _("Kvalitetsutvecklare")
    DIRECTOR = "direktor", _("Direktör/processägare")
    BOARD_SECRETARY = "namndsekreterare", _("Nämndsekreterare")
    KUNDVAL_OFFICER = "kundvalshandlaggare", _("Kundvalshandläggare")
    PROVIDER_STAFF = "anordnare", _("Anordnarpersonal")
    SYSTEM_ADMIN = "systemadministrator", _("Systemadministratör")


# Roles whose membership must name a unit, a group or a provider.
UNIT_ROLES = {Role.UNIT_HEAD, Role.QUALITY_DEVELOPER, Role.KUNDVAL_OFFICER}
GROUP_ROLES = {Role.SOCIAL_WORKER, Role.GROUP_HEAD}
PROVIDER_ROLES = {Role.PROVIDER_STAFF}
