"""Setting up a kundval area: its goals and frames, compensation model and districts.

An area's compensation model, cap and separate rates give its prices and decisions their
meaning, and the payment run recomputes closed months from today's area (see
tillit.kundval.payment_run.changed_since). So once prices or vouchers rest on them they are
refused here: a different model needs a new area. Goals, description, notice days, the name
and the default provider only act on what is done from now on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, created, diff, record_change, snapshot
from tillit.kundval.models import (
    Authorisation,
    AuthorisationApplication,
    CompensationModel,
    Decision,
    District,
    KundvalArea,
    ServiceKind,
)
from tillit.organisation.models import Municipality, Provider, Unit
from tillit.versioning import UNCHECKED, Unchecked, refuse_stale

NAME_LENGTH = 120
MAX_NOTICE_DAYS = 365
# Models whose payment a decision's hours or days can cap (tillit.kundval.compensation).
CAPPABLE = frozenset({CompensationModel.PERFORMED_HOUR, CompensationModel.ATTENDANCE_DAY})

Errors = dict[str, list[str]]


def _show(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def _taken(name: str, names: Iterable[str]) -> bool:
    """Whether the name is among these, ignoring case. Compared here, not with `iexact`:
    SQLite folds the case of ASCII letters only (Å, Ä, Ö would slip through)."""
    wanted = name.casefold()
    return any(other.casefold() == wanted for other in names)


@dataclass(frozen=True)
class AreaInput:
    name: str
    service_kind: str
    compensation_model: str
    description: str = ""
    goals: str = ""
    cap_by_decision: bool = False
    separate_rates: bool = False
    default_provider: Provider | None = None
    notice_days: int = 0


def default_provider_candidates(
    municipality_ids: Collection[int], *, keep: int | None = None
) -> QuerySet[Provider]:
    """Who may be an area's ickevalsalternativ: the municipality's own providers (tied to one of
    its units, or municipal and tied to none) and providers authorised in one of its areas;
    `keep` (an area's current default, however it was set) stays on offer."""
    return (
        Provider.objects.filter(
            Q(unit__process__municipality__in=municipality_ids)
            | Q(is_municipal=True, unit__isnull=True)
            | Q(authorisations__area__municipality__in=municipality_ids)
            | Q(pk__in=[keep] if keep is not None else [])
        )
        .distinct()
        .order_by("name")
    )


def _area_problems(
    municipality: Municipality, data: AreaInput, *, exclude: KundvalArea | None = None
) -> Errors:
    errors: Errors = {}
    name = data.name.strip()
    if not name:
        errors["name"] = [_("Ange områdets namn.")]
    elif len(name) > NAME_LENGTH:
        errors["name"] = [_("Namnet får vara högst %(n)d tecken.") % {"n": NAME_LENGTH}]
    else:
        others = KundvalArea.objects.filter(municipality=municipality)
        if exclude is not None:
            others = others.exclude(pk=exclude.pk)
        if _taken(name, others.values_list("name", flat=True)):
            errors["name"] = [
                _("Kommunen har redan ett kundvalsområde som heter %(name)s.") % {"name": name}
            ]
    if data.service_kind not in ServiceKind.values:
        errors["service_kind"] = [_("Välj en tjänst.")]
    elif data.service_kind == ServiceKind.OTHER and not data.description.strip():
        errors["description"] = [_("Beskriv tjänsten när den inte är en av de fasta.")]
    if data.compensation_model not in CompensationModel.values:
        errors["compensation_model"] = [_("Välj en ersättningsmodell.")]
    elif data.cap_by_decision and data.compensation_model not in CAPPABLE:
        errors["cap_by_decision"] = [
            _("Tak enligt beslut finns bara vid ersättning per utförd timme eller per närvarodag.")
        ]
    if not 0 <= data.notice_days <= MAX_NOTICE_DAYS:
        errors["notice_days"] = [
            _("Omvalsfristen ska vara mellan 0 och %(n)d dagar.") % {"n": MAX_NOTICE_DAYS}
        ]
    if (
        data.default_provider is not None
        and (exclude is None or data.default_provider.pk != exclude.default_provider_id)
        and not default_provider_candidates([municipality.pk])
        .filter(pk=data.default_provider.pk)
        .exists()
    ):
        errors["default_provider"] = [
            _(
                "Ickevalsalternativet ska vara kommunens egen anordnare eller en anordnare "
                "som är auktoriserad i kommunen."
            )
        ]
    return errors


AREA_FIELDS = (
    "name",
    "service_kind",
    "description",
    "goals",
    "compensation_model",
    "cap_by_decision",
    "separate_rates",
    "default_provider",
    "notice_days",
)


@transaction.atomic
def create_area(*, unit: Unit, data: AreaInput, by: Actor) -> KundvalArea:
    """A new kundvalsområde, managed by `unit` (its kundvalshandläggare work with it)."""
    municipality = Municipality.objects.select_for_update().get(pk=unit.process.municipality_id)
    errors = _area_problems(municipality, data)
    if errors:
        raise ValidationError(errors)
    area = KundvalArea.objects.create(
        municipality=municipality,
        unit=unit,
        name=data.name.strip(),
        service_kind=data.service_kind,
        description=data.description.strip(),
        goals=data.goals.strip(),
        compensation_model=data.compensation_model,
        cap_by_decision=data.cap_by_decision,
        separate_rates=data.separate_rates,
        default_provider=data.default_provider,
        notice_days=data.notice_days,
    )
    record_change(
        by, "kundval.area.created", area, {"unit": (None, unit.pk), **created(area, AREA_FIELDS)}
    )
    return area


def locked_fields(area: KundvalArea) -> Errors:
    """Why each money-bearing setting of the area can no longer change (empty when none)."""
    has_prices = area.price_lists.exists()
    has_vouchers = area.vouchers.exists()
    reasons: Errors = {}
    if has_prices or has_vouchers:
        reasons["compensation_model"] = [
            _(
                "Ersättningsmodellen kan inte ändras när området har prislistor eller checkar: "
                "de befintliga beloppen och besluten skulle få en annan betydelse. Lägg upp ett "
                "nytt kundvalsområde för den nya modellen."
            )
        ]
    if has_prices:
        reasons["separate_rates"] = [
            _(
                "Skilda ersättningar kan inte slås av eller på när området har prislistor: "
                "prislistornas belopp gäller för de anordnare de angavs för."
            )
        ]
    if has_vouchers:
        reasons["cap_by_decision"] = [
            _(
                "Tak enligt beslut kan inte ändras när checkar har utfärdats: det skulle ändra "
                "vad som redan betalats ut för besluten."
            )
        ]
    return reasons


@transaction.atomic
def change_area(
    area: KundvalArea,
    data: AreaInput,
    *,
    by: Actor,
    version: int | Unchecked | None = UNCHECKED,
) -> KundvalArea:
    """Change the area's settings; a locked setting (see locked_fields) that changes is refused
    with its reason, and nothing is saved. `version`: the version the edit page showed; a save
    from a page older than the last change is refused (tillit.versioning)."""
    area = KundvalArea.objects.select_for_update().get(pk=area.pk)
    if not isinstance(version, Unchecked):
        refuse_stale(area.version, version)
    errors = _area_problems(area.municipality, data, exclude=area)
    locked = locked_fields(area)
    changed = {
        "compensation_model": data.compensation_model != area.compensation_model,
        "separate_rates": data.separate_rates != area.separate_rates,
        "cap_by_decision": data.cap_by_decision != area.cap_by_decision,
    }
    for field, reasons in locked.items():
        if changed[field]:
            errors[field] = reasons
    if errors:
        raise ValidationError(errors)
    before = snapshot(area, AREA_FIELDS)
    area.name = data.name.strip()
    area.service_kind = data.service_kind
    area.description = data.description.strip()
    area.goals = data.goals.strip()
    area.compensation_model = data.compensation_model
    area.cap_by_decision = data.cap_by_decision
    area.separate_rates = data.separate_rates
    area.default_provider = data.default_provider
    area.notice_days = data.notice_days
    area.version += 1
    area.save(
        update_fields=[
            "version",
            "name",
            "service_kind",
            "description",
            "goals",
            "compensation_model",
            "cap_by_decision",
            "separate_rates",
            "default_provider",
            "notice_days",
        ]
    )
    record_change(by, "kundval.area.changed", area, diff(before, snapshot(area, AREA_FIELDS)))
    return area


# --- Districts ------------------------------------------------------------------------------


def _district_problems(
    municipality: Municipality,
    name: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    *,
    district: District | None = None,
) -> Errors:
    errors: Errors = {}
    name = name.strip()
    if not name:
        errors["name"] = [_("Ange det geografiska områdets namn.")]
    elif len(name) > NAME_LENGTH:
        errors["name"] = [_("Namnet får vara högst %(n)d tecken.") % {"n": NAME_LENGTH}]
    else:
        others = District.objects.filter(municipality=municipality)
        if district is not None:
            others = others.exclude(pk=district.pk)
        if _taken(name, others.values_list("name", flat=True)):
            errors["name"] = [
                _(
                    "Kommunen har redan ett geografiskt område som heter %(name)s; "
                    "koppla det till kundvalsområdet i stället."
                )
                % {"name": name}
            ]
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = [_("Sista dagen ligger före första dagen.")]
    if district is not None:
        starts = Decision.objects.filter(district=district).order_by("valid_from")
        first = starts.values_list("valid_from", flat=True).first()
        last = starts.reverse().values_list("valid_from", flat=True).first()
        if valid_from is not None and first is not None and first < valid_from:
            errors.setdefault("valid_from", []).append(
                _("Det finns beslut i området som börjar %(date)s, före den dagen.")
                % {"date": _show(first)}
            )
        if valid_to is not None and last is not None and last > valid_to:
            errors.setdefault("valid_to", []).append(
                _(
                    "Det finns beslut i området som börjar %(date)s, efter den dagen. "
                    "Området kan stängas tidigast den dagen."
                )
                % {"date": _show(last)}
            )
    return errors


@transaction.atomic
def add_district(
    area: KundvalArea,
    *,
    name: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    by: Actor,
) -> District:
    """A new district of the municipality, used in this area."""
    area = KundvalArea.objects.select_for_update().select_related("municipality").get(pk=area.pk)
    errors = _district_problems(area.municipality, name, valid_from, valid_to)
    if errors:
        raise ValidationError(errors)
    district = District.objects.create(
        municipality=area.municipality,
        name=name.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    district.areas.add(area)
    record_change(
        by,
        "kundval.district.added",
        district,
        {"areas": (None, [area.pk]), **created(district, DISTRICT_FIELDS)},
    )
    return district


DISTRICT_FIELDS = ("name", "valid_from", "valid_to")


@transaction.atomic
def link_district(area: KundvalArea, district: District, *, today: dt.date, by: Actor) -> None:
    """Use one of the municipality's existing (open) districts in this area too."""
    area = KundvalArea.objects.select_for_update().get(pk=area.pk)
    problems: list[str] = []
    if district.municipality_id != area.municipality_id:
        problems.append(_("Det geografiska området hör till en annan kommun."))
    elif district.areas.filter(pk=area.pk).exists():
        problems.append(_("Det geografiska området används redan i kundvalsområdet."))
    elif district.valid_to is not None and district.valid_to < today:
        problems.append(
            _("Det geografiska området är stängt sedan %(date)s.")
            % {"date": _show(district.valid_to)}
        )
    if problems:
        raise ValidationError({"district": problems})
    district.areas.add(area)
    record_change(by, "kundval.area.district_linked", area, {"districts": (None, district.pk)})


@transaction.atomic
def change_district(
    district: District,
    *,
    name: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    by: Actor,
) -> District:
    """Rename a district, or close it from a day on (`valid_to`, its last day). Decisions
    already in it keep it; none may start outside its days."""
    district = District.objects.select_for_update().get(pk=district.pk)
    errors = _district_problems(
        district.municipality, name, valid_from, valid_to, district=district
    )
    if errors:
        raise ValidationError(errors)
    before = snapshot(district, DISTRICT_FIELDS)
    district.name = name.strip()
    district.valid_from = valid_from
    district.valid_to = valid_to
    district.save(update_fields=["name", "valid_from", "valid_to"])
    record_change(
        by, "kundval.district.changed", district, diff(before, snapshot(district, DISTRICT_FIELDS))
    )
    return district


def district_uses(area: KundvalArea, district: District) -> list[str]:
    """What in this area names the district (empty: it can be taken out of the area)."""
    uses: list[str] = []
    decisions = Decision.objects.filter(area=area, district=district).count()
    if decisions:
        uses.append(_("%(n)d beslut om kundval") % {"n": decisions})
    authorisations = Authorisation.objects.filter(area=area, districts=district).count()
    if authorisations:
        uses.append(_("%(n)d auktorisationer") % {"n": authorisations})
    applications = AuthorisationApplication.objects.filter(areas=area, districts=district).count()
    if applications:
        uses.append(_("%(n)d ansökningar om auktorisation") % {"n": applications})
    return uses


@transaction.atomic
def remove_district(area: KundvalArea, district: District, *, by: Actor) -> bool:
    """Take a district out of an area that never used it. Returns True when the district was
    then used nowhere and was deleted altogether. A district in use is closed instead."""
    area = KundvalArea.objects.select_for_update().get(pk=area.pk)
    district = District.objects.select_for_update().get(pk=district.pk)
    if not district.areas.filter(pk=area.pk).exists():
        raise ValidationError(
            {"__all__": [_("Det geografiska området används inte i kundvalsområdet.")]}
        )
    uses = district_uses(area, district)
    if uses:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Det geografiska området används i kundvalsområdet (%(uses)s) och kan "
                        "inte tas bort; stäng det i stället med en sista dag."
                    )
                    % {"uses": ", ".join(uses)}
                ]
            }
        )
    district.areas.remove(area)
    record_change(by, "kundval.area.district_removed", area, {"districts": (district.pk, None)})
    unused = (
        not district.areas.exists()
        and not Decision.objects.filter(district=district).exists()
        and not Authorisation.objects.filter(districts=district).exists()
        and not AuthorisationApplication.objects.filter(districts=district).exists()
    )
    if unused:
        district.delete()
    return unused
