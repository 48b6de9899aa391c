"""Whose history the person register's changes belong to (tillit.changelog.subjects)."""

from django.utils.translation import gettext_lazy as _

from tillit.changelog.subjects import label_events, register
from tillit.individuals.models import Case, Individual

register(Individual, individual="pk")
register(Case, individual="individual", case="pk")
label_events(
    {
        "individuals.individual.registered": _("Personen registrerad"),
        "individuals.individual.protected": _("Skyddade personuppgifter"),
        "individuals.individual.related": _("Relation registrerad"),
        "individuals.case.assigned": _("Ärendet tilldelat"),
    }
)
