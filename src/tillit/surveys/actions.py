"""Every change to survey results: one import, all rows or none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.surveys.importing import Parsed
from tillit.surveys.models import SurveyReference, SurveyResult

if TYPE_CHECKING:
    from tillit.accounts.models import User


@transaction.atomic
def import_results(parsed: Parsed, *, by: User | None) -> int:
    """Store every row of a checked file (a row for the same year, organisation and measure
    replaces the stored one). A file with any bad row stores nothing."""
    if not parsed.ok:
        raise ValidationError(_("Filen har fel; inget har sparats."))
    for row in parsed.rows:
        values = {
            "label": row.label,
            "share_percent": row.share,
            "answers": row.answers or 0,
            "source": row.source,
        }
        if row.provider is not None:
            SurveyResult.objects.update_or_create(
                year=row.year,
                provider=row.provider,
                unit=None,
                measure=row.measure,
                defaults=values,
            )
        elif row.unit is not None:
            SurveyResult.objects.update_or_create(
                year=row.year,
                unit=row.unit,
                provider=None,
                measure=row.measure,
                defaults=values,
            )
        else:
            values["answers"] = row.answers
            SurveyReference.objects.update_or_create(
                year=row.year, scope=row.level, measure=row.measure, defaults=values
            )
    return len(parsed.rows)
