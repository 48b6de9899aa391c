"""Every change to survey results and staff-continuity figures: one import, all rows or none."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, record_change
from tillit.surveys.continuity import ParsedContinuity
from tillit.surveys.importing import Parsed
from tillit.surveys.models import StaffContinuity, SurveyReference, SurveyResult


@transaction.atomic
def import_results(parsed: Parsed, *, by: Actor, now: dt.datetime | None = None) -> int:
    """Store every row of a checked file (a row for the same year, organisation and measure
    replaces the stored one). A file with any bad row stores nothing."""
    if not parsed.ok:
        raise ValidationError(_("Filen har fel; inget har sparats."))
    now = now or timezone.now()
    for row in parsed.rows:
        values = {
            "label": row.label,
            "share_percent": row.share,
            "answers": row.answers or 0,
            "source": row.source,
        }
        stored: SurveyResult | SurveyReference
        if row.provider is not None or row.unit is not None:
            stored, created = SurveyResult.objects.update_or_create(
                year=row.year,
                provider=row.provider,
                unit=row.unit,
                measure=row.measure,
                defaults=values,
            )
        else:
            values["answers"] = row.answers
            stored, created = SurveyReference.objects.update_or_create(
                year=row.year, scope=row.level, measure=row.measure, defaults=values
            )
        record_change(
            by,
            "surveys.result.imported" if created else "surveys.result.replaced",
            stored,
            {"share_percent": (None, row.share), "answers": (None, row.answers)},
            at=now,
        )
    return len(parsed.rows)


@transaction.atomic
def import_continuity(
    parsed: ParsedContinuity, *, by: Actor, now: dt.datetime | None = None
) -> int:
    """Store every row of a checked staff-continuity file (a row for the same organisation and
    period replaces the stored one). A file with any bad row stores nothing."""
    if not parsed.ok:
        raise ValidationError(_("Filen har fel; inget har sparats."))
    now = now or timezone.now()
    for row in parsed.rows:
        values = {
            "period_to": row.period_to,
            "staff_mean": row.staff_mean,
            "customers": row.customers,
            "source": row.source,
        }
        stored = (
            StaffContinuity.objects.select_for_update()
            .filter(level=row.level, provider=row.provider, period_from=row.period_from)
            .first()
        )
        if stored is None:
            stored = StaffContinuity.objects.create(
                level=row.level, provider=row.provider, period_from=row.period_from, **values
            )
            changed = {name: (None, value) for name, value in values.items()}
            event = "surveys.continuity.imported"
        else:
            changed = {
                name: (getattr(stored, name), value)
                for name, value in values.items()
                if getattr(stored, name) != value
            }
            for name, value in values.items():
                setattr(stored, name, value)
            stored.save(update_fields=list(values))
            event = "surveys.continuity.replaced"
        record_change(by, event, stored, changed, at=now)
    return len(parsed.rows)
