"""What the officer should look at before closing a month, per provider.

- No report: the provider holds customers in areas paid on what is reported (performed hours,
  visits, attendance days) and reported nothing dated in the month.
- Customers without visits: of those customers, how many have no report in the month (when the
  provider reported for others).
- Change: the provider's total differs from last month's by more than `CHANGE_SHARE` (in
  either direction; a provider paid last month and not at all this month is a −100 % change).

Warnings inform; they never stop a close. A fixed number of queries per run, whatever the
number of providers or customers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from tillit.kundval.models import Choice, PaymentLine, PaymentRun, PerformanceReport
from tillit.kundval.models.areas import CompensationModel
from tillit.kundval.periods import month_end

CHANGE_SHARE = Decimal("0.30")
REPORTED_MODELS = (
    CompensationModel.PERFORMED_HOUR,
    CompensationModel.VISIT,
    CompensationModel.ATTENDANCE_DAY,
)


@dataclass
class ProviderWarnings:
    provider_id: int
    provider_name: str
    messages: list[str] = field(default_factory=list)


def previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def _totals(run: PaymentRun | None) -> dict[int, tuple[str, Decimal]]:
    if run is None:
        return {}
    return {
        t["provider_id"]: (t["provider__name"], t["total"])
        for t in PaymentLine.objects.filter(run=run).totals("provider_id", "provider__name")
    }


def run_warnings(run: PaymentRun) -> list[ProviderWarnings]:
    """The warnings for one run, by provider name."""
    first, last = run.month, month_end(run.month)
    held = (
        Choice.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=first),
            valid_from__lte=last,
            voucher__area__municipality_id=run.municipality_id,
            voucher__area__compensation_model__in=REPORTED_MODELS,
        )
        .filter(Q(voucher__valid_to__isnull=True) | Q(voucher__valid_to__gte=first))
        .filter(voucher__valid_from__lte=last)
        .values_list("provider_id", "provider__name", "voucher_id")
    )
    customers: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    for provider_id, name, voucher_id in held:
        customers[provider_id].add(voucher_id)
        names[provider_id] = name
    reported: dict[int, set[int]] = defaultdict(set)
    for provider_id, voucher_id in (
        PerformanceReport.objects.filter(
            provider_id__in=list(customers), date__gte=first, date__lte=last
        )
        .order_by()  # the model's ordering would make DISTINCT keep every report
        .values_list("provider_id", "voucher_id")
        .distinct()
    ):
        reported[provider_id].add(voucher_id)

    found: dict[int, ProviderWarnings] = {}

    def warn(provider_id: int, name: str, message: str) -> None:
        found.setdefault(provider_id, ProviderWarnings(provider_id, name)).messages.append(message)

    for provider_id, vouchers in customers.items():
        done = reported.get(provider_id, set())
        if not done:
            warn(
                provider_id,
                names[provider_id],
                _("Ingen rapport för månaden (%(n)d kunder).") % {"n": len(vouchers)},
            )
        elif missing := len(vouchers - done):
            warn(
                provider_id,
                names[provider_id],
                _("%(n)d av %(all)d kunder har inget besök rapporterat.")
                % {"n": missing, "all": len(vouchers)},
            )

    now = _totals(run)
    before = _totals(
        PaymentRun.objects.filter(
            municipality_id=run.municipality_id, month=previous_month(run.month)
        ).first()
    )
    for provider_id, (name, previous) in before.items():
        current = now.get(provider_id, (name, Decimal("0.00")))[1]
        if previous > 0 and abs(current - previous) > previous * CHANGE_SHARE:
            share = (current - previous) / previous * 100
            warn(
                provider_id,
                name,
                _("Summan har ändrats med %(share)s %% mot föregående månad.")
                % {"share": f"{share:+.0f}".replace("-", "−")},
            )
    return sorted(found.values(), key=lambda w: (w.provider_name, w.provider_id))
