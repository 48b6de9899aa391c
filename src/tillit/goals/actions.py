"""Every change to goals, targets, follow-ups, comparison groups and the stored figures: one
function each, in a transaction, with the change log written inside it. A refusal is a
ValidationError with a Swedish message, and nothing is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, SystemActor, record_change
from tillit.goals import own, standings
from tillit.goals.kolada import loader
from tillit.goals.kolada.municipalities import MUNICIPALITIES, RIKET
from tillit.goals.models import (
    Assessment,
    ComparisonGroup,
    Direction,
    FollowUp,
    Goal,
    GroupKind,
    Indicator,
    KoladaLoad,
    Level,
    NationalValue,
    OwnValue,
    SourceKind,
    Target,
    TargetKind,
)
from tillit.organisation.models import Board, Municipality, Unit

PARENT_LEVEL = {Level.BOARD: Level.COUNCIL, Level.UNIT: Level.BOARD}
FOLLOW_UP_PERIOD = r"^\d{4}(-(K[1-4]|T[1-3]))?$"


def _user(by: Actor) -> Any:
    return None if isinstance(by, SystemActor) else by


def known_codes() -> set[str]:
    """Codes a national value may name: the 290 municipalities, Riket, and the own
    municipality's (in the demo an invented one, placed among the real distribution)."""
    own_codes = set(Municipality.objects.values_list("code", flat=True))
    return set(MUNICIPALITIES) | {RIKET} | own_codes


# --- Goals ------------------------------------------------------------------------------------


def create_goal(
    *,
    level: str,
    title: str,
    adopted_by: str,
    adopted_on: dt.date,
    first_year: int,
    last_year: int,
    description: str = "",
    parent: Goal | None = None,
    board: Board | None = None,
    unit: Unit | None = None,
    by: Actor,
    now: dt.datetime | None = None,
) -> Goal:
    level = Level(level)
    errors: dict[str, str] = {}
    if level == Level.COUNCIL and (board or unit or parent):
        errors["parent"] = _("Fullmäktiges mål hör inte till en nämnd, enhet eller annat mål.")
    if level in (Level.BOARD, Level.UNIT) and board is None:
        errors["board"] = _("Välj nämnden som målet hör till.")
    if level == Level.BOARD and unit is not None:
        errors["unit"] = _("Ett nämndmål hör inte till en enhet.")
    if level == Level.UNIT and unit is None:
        errors["unit"] = _("Välj enheten som målet hör till.")
    if (
        level == Level.UNIT
        and unit is not None
        and board is not None
        and not unit.process.boards.filter(pk=board.pk).exists()
    ):
        errors["unit"] = _("Enheten hör inte till nämndens verksamhet.")
    if parent is not None and level in PARENT_LEVEL:
        if parent.level != PARENT_LEVEL[level]:
            errors["parent"] = _("Ett mål bidrar till ett mål på nivån närmast över.")
        elif level == Level.UNIT and parent.board_id != (board.pk if board else None):
            errors["parent"] = _("Enhetens mål bidrar till ett mål i samma nämnd.")
    if last_year < first_year:
        errors["last_year"] = _("Sista året kan inte vara före det första.")
    if not title.strip():
        errors["title"] = _("Skriv målet.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        goal = Goal.objects.create(
            level=level,
            title=title.strip(),
            description=description.strip(),
            adopted_by=adopted_by.strip(),
            adopted_on=adopted_on,
            first_year=first_year,
            last_year=last_year,
            parent=parent,
            board=board,
            unit=unit,
        )
        record_change(by, "goals.goal.created", goal, {"title": (None, goal.title)}, at=now)
    return goal


def set_target(
    goal: Goal,
    indicator: Indicator,
    *,
    kind: str,
    level: Decimal | None = None,
    best_percent: int | None = None,
    by: Actor,
    now: dt.datetime | None = None,
) -> Target:
    kind = TargetKind(kind)
    if kind == TargetKind.LEVEL and level is None:
        raise ValidationError({"level": _("Ange målnivån.")})
    if kind == TargetKind.RANK:
        if best_percent is None or not 1 <= best_percent <= 100:
            raise ValidationError({"best_percent": _("Ange en andel mellan 1 och 100 %.")})
        if indicator.source != SourceKind.KOLADA:
            raise ValidationError(
                {"indicator": _("Placering kan bara anges för nationella nyckeltal.")}
            )
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(goal=goal, indicator=indicator).first()
        before = (target.kind, target.level, target.best_percent) if target else None
        if target is None:
            target = Target(goal=goal, indicator=indicator)
        target.kind = kind
        target.level = level if kind == TargetKind.LEVEL else None
        target.best_percent = best_percent if kind == TargetKind.RANK else None
        target.save()
        after = (target.kind, target.level, target.best_percent)
        record_change(
            by,
            "goals.target.set",
            target,
            {"target": (str(before) if before else None, str(after))},
            at=now,
        )
    return target


def record_follow_up(
    goal: Goal,
    *,
    period: str,
    assessment: str,
    comment: str,
    by: Actor,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> FollowUp:
    import re

    errors: dict[str, str] = {}
    period = period.strip().upper()
    if not re.match(FOLLOW_UP_PERIOD, period):
        errors["period"] = _("Ange året (2026), ett tertial (2026-T2) eller ett kvartal (2026-K2).")
    elif not goal.first_year <= int(period[:4]) <= goal.last_year:
        errors["period"] = _("Målet gäller %(first)s–%(last)s.") % {
            "first": goal.first_year,
            "last": goal.last_year,
        }
    if assessment not in Assessment.values:
        errors["assessment"] = _("Välj en bedömning.")
    if not comment.strip():
        errors["comment"] = _("Skriv en kort kommentar.")
    if errors:
        raise ValidationError(errors)
    user = _user(by)
    if user is None:
        raise ValidationError(_("En uppföljning skrivs av en person."))
    today = today or timezone.localdate(now)
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().filter(goal=goal, period=period).first()
        before = (follow_up.assessment, follow_up.comment) if follow_up else (None, None)
        if follow_up is None:
            follow_up = FollowUp(goal=goal, period=period)
        follow_up.assessment = assessment
        follow_up.comment = comment.strip()
        follow_up.recorded_by = user
        follow_up.recorded_on = today
        follow_up.save()
        record_change(
            by,
            "goals.follow_up.recorded",
            follow_up,
            {
                "assessment": (before[0], assessment),
                "comment": (before[1], follow_up.comment),
            },
            at=now,
        )
    return follow_up


# --- National values --------------------------------------------------------------------------


def load_national_values(
    answer: Any,
    *,
    file_name: str,
    source_note: str,
    by: Actor,
    now: dt.datetime | None = None,
) -> KoladaLoad:
    """Read a file in Kolada's shape and store it whole (replacing the values it names), then
    recompute the standings of its indicators; refused whole when any row is wrong."""
    kolada = Indicator.objects.filter(source=SourceKind.KOLADA)
    indicators = dict(kolada.values_list("code", "pk"))
    higher = set(kolada.filter(direction=Direction.HIGHER).values_list("code", flat=True))
    rows = loader.read_values(answer, known_kpis=set(indicators), known_codes=known_codes())
    if not rows:
        raise ValidationError(_("Filen innehåller inga värden att läsa in."))
    now = now or timezone.now()
    with transaction.atomic():
        load = KoladaLoad.objects.create(
            loaded_at=now,
            loaded_by=_user(by),
            file_name=file_name[:200],
            source_note=source_note[:200],
            rows=len(rows),
        )
        touched = {indicators[row.kpi] for row in rows}
        years = {row.year for row in rows}
        incoming = {(indicators[r.kpi], r.year, r.municipality) for r in rows}
        old = NationalValue.objects.filter(indicator_id__in=touched, year__in=years)
        stale = [
            pk
            for pk, key in (
                (pk, (i, y, m))
                for pk, i, y, m in old.values_list("pk", "indicator_id", "year", "municipality")
            )
            if key in incoming
        ]
        NationalValue.objects.filter(pk__in=stale).delete()
        NationalValue.objects.bulk_create(
            [
                NationalValue(
                    indicator_id=indicators[row.kpi],
                    municipality=row.municipality,
                    year=row.year,
                    value=row.value,
                    better=NationalValue.sort_key(row.value, higher_is_better=row.kpi in higher),
                    load=load,
                )
                for row in rows
            ],
            batch_size=2000,
        )
        standings.refresh(touched)
        record_change(by, "goals.kolada.loaded", load, {"rows": (None, len(rows))}, at=now)
    return load


def load_comparison_groups(answer: Any, *, by: Actor, now: dt.datetime | None = None) -> int:
    """Kolada's municipality groups (e.g. liknande kommuner) from a file in the API's shape."""
    groups = loader.read_groups(answer, known_codes=known_codes())
    with transaction.atomic():
        for row in groups:
            group, created = ComparisonGroup.objects.update_or_create(
                kind=GroupKind.KOLADA,
                kolada_id=row.kolada_id,
                defaults={"name": row.title, "members": list(row.members)},
            )
            record_change(
                by,
                "goals.group.loaded",
                group,
                {"members": (None if created else "", ",".join(row.members))},
                at=now,
            )
    return len(groups)


def save_comparison_group(
    *,
    name: str,
    members: Iterable[str],
    group: ComparisonGroup | None = None,
    by: Actor,
    now: dt.datetime | None = None,
) -> ComparisonGroup:
    codes = sorted({code.strip() for code in members if code.strip()})
    errors: dict[str, str] = {}
    unknown = [code for code in codes if code not in known_codes() or code == RIKET]
    if unknown:
        errors["members"] = _("Okända kommunkoder: %(codes)s.") % {"codes": ", ".join(unknown)}
    elif len(codes) < 2:
        errors["members"] = _("En jämförelsegrupp har minst två kommuner.")
    if not name.strip():
        errors["name"] = _("Ge gruppen ett namn.")
    elif (
        ComparisonGroup.objects.filter(name=name.strip())
        .exclude(pk=group.pk if group else 0)
        .exists()
    ):
        errors["name"] = _("Det finns redan en grupp med det namnet.")
    if group is not None and group.kind != GroupKind.OWN:
        errors["name"] = _("Koladas grupper ändras genom en ny inläsning.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = list(group.members) if group else None
        if group is None:
            group = ComparisonGroup(kind=GroupKind.OWN)
        group.name = name.strip()
        group.members = codes
        group.save()
        record_change(
            by,
            "goals.group.saved",
            group,
            {"members": (",".join(before) if before is not None else None, ",".join(codes))},
            at=now,
        )
    return group


# --- Own figures ------------------------------------------------------------------------------


def record_own_values(
    year: int,
    *,
    by: Actor,
    now: dt.datetime | None = None,
    indicators: Iterable[Indicator] | None = None,
) -> int:
    """Compute Tillit's own figures for a year and store them (replacing that year's)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if year > today.year:
        raise ValidationError({"year": _("Året har inte börjat.")})
    wanted = list(
        indicators if indicators is not None else Indicator.objects.filter(source=SourceKind.OWN)
    )
    computed = own.compute(wanted, year, today)
    stored = 0
    with transaction.atomic():
        for indicator in wanted:
            per_unit = computed.get(indicator.pk, {})
            OwnValue.objects.filter(indicator=indicator, year=year).delete()
            OwnValue.objects.bulk_create(
                OwnValue(
                    indicator=indicator,
                    year=year,
                    unit_id=unit_id,
                    value=value,
                    basis=basis,
                    computed_at=now,
                )
                for unit_id, (value, basis) in per_unit.items()
            )
            stored += len(per_unit)
            municipal = per_unit.get(None, (None, 0))[0]
            record_change(
                by, "goals.own.computed", indicator, {str(year): (None, municipal)}, at=now
            )
    return stored
