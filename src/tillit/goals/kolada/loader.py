"""The offline loader: files in Kolada's own JSON shape (what `KoladaClient.values` returns, or
what one saves from the API by hand), checked whole before anything is stored.

A data file is `{"values": [{"kpi": ..., "municipality": ..., "period": ..., "values":
[{"gender": "T", "value": ...}, ...]}, ...]}` ("count" and "next_page" may be there too). Only
the total (gender T) is read; a row whose total is null (Kolada publishes no value) is passed
over. A group file is the answer of `/municipality_groups`: `{"values": [{"id": ..., "title":
..., "members": [{"id": ..., "title": ...}, ...]}]}`.

Every problem is collected (wrong shape, an indicator Tillit does not know, a municipality code
that is not one of the 290, Riket or the own municipality's, the same value twice) and reported
in Swedish; then nothing is stored (tillit.goals.actions).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LISTED = 20


@dataclass(frozen=True)
class ValueRow:
    kpi: str
    municipality: str
    year: int
    value: Decimal


@dataclass(frozen=True)
class GroupRow:
    kolada_id: str
    title: str
    members: tuple[str, ...]


class Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def raise_if_any(self) -> None:
        if not self.messages:
            return
        shown = self.messages[:MAX_LISTED]
        if len(self.messages) > MAX_LISTED:
            shown.append(
                _("… och %(count)s fel till.") % {"count": len(self.messages) - MAX_LISTED}
            )
        raise ValidationError(shown)


def parse_json(data: bytes | str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(
            _("Filen är inte JSON. Välj en fil som hämtats från Koladas API.")
        ) from None


def _values_list(answer: Any) -> list[Any]:
    if not isinstance(answer, dict) or not isinstance(answer.get("values"), list):
        raise ValidationError(
            _(
                'Filen har inte Koladas form: ett JSON-objekt med listan "values" '
                "krävs (som svaret från api.kolada.se/v3)."
            )
        )
    return list(answer["values"])


def read_values(answer: Any, *, known_kpis: set[str], known_codes: set[str]) -> list[ValueRow]:
    problems = Problems()
    rows: list[ValueRow] = []
    seen: set[tuple[str, str, int]] = set()
    for index, item in enumerate(_values_list(answer), start=1):
        where = _("Rad %(index)s") % {"index": index}
        if not isinstance(item, dict) or not {"kpi", "municipality", "period", "values"} <= set(
            item
        ):
            problems.add(
                _("%(where)s: kpi, municipality, period och values krävs.") % {"where": where}
            )
            continue
        kpi, code, period = item["kpi"], item["municipality"], item["period"]
        if not isinstance(kpi, str) or kpi not in known_kpis:
            problems.add(
                _("%(where)s: nyckeltalet %(kpi)s finns inte bland indikatorerna.")
                % {"where": where, "kpi": kpi}
            )
            continue
        if not isinstance(code, str) or code not in known_codes:
            problems.add(
                _("%(where)s: kommunkoden %(code)s är okänd.") % {"where": where, "code": code}
            )
            continue
        year = _year(period)
        if year is None:
            problems.add(
                _("%(where)s: året %(period)s är inte giltigt.")
                % {"where": where, "period": period}
            )
            continue
        total = _total(item["values"])
        if total is _WRONG:
            problems.add(
                _("%(where)s: values ska vara en lista med gender och value.") % {"where": where}
            )
            continue
        if total is None:
            continue
        if not isinstance(total, Decimal):
            problems.add(
                _("%(where)s: värdet %(value)s är inte ett tal.") % {"where": where, "value": total}
            )
            continue
        key = (kpi, code, year)
        if key in seen:
            problems.add(
                _("%(where)s: %(kpi)s för %(code)s år %(year)s finns redan i filen.")
                % {"where": where, "kpi": kpi, "code": code, "year": year}
            )
            continue
        seen.add(key)
        rows.append(ValueRow(kpi, code, year, total))
    problems.raise_if_any()
    return rows


_WRONG = object()


def _year(period: Any) -> int | None:
    if isinstance(period, bool):
        return None
    try:
        year = int(str(period))
    except ValueError:
        return None
    return year if 1990 <= year <= 2100 else None


def _total(values: Any) -> object:
    """The gender-T value: a Decimal, None (no value published), the raw value when it is
    not a number, or _WRONG when the list has the wrong shape."""
    if not isinstance(values, list):
        return _WRONG
    for entry in values:
        if not isinstance(entry, dict) or "gender" not in entry:
            return _WRONG
        if entry["gender"] != "T":
            continue
        value = entry.get("value")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return value
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return value
        if not number.is_finite() or abs(number) >= Decimal("1e13"):
            return value
        return number.quantize(Decimal("0.0001"))
    return None


def read_groups(answer: Any, *, known_codes: set[str]) -> list[GroupRow]:
    problems = Problems()
    groups: list[GroupRow] = []
    for index, item in enumerate(_values_list(answer), start=1):
        where = _("Grupp %(index)s") % {"index": index}
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("id"), str)
            or not isinstance(item.get("title"), str)
            or not isinstance(item.get("members"), list)
        ):
            problems.add(_("%(where)s: id, title och members krävs.") % {"where": where})
            continue
        codes = []
        for member in item["members"]:
            code = member.get("id") if isinstance(member, dict) else None
            if code not in known_codes:
                problems.add(
                    _("%(where)s: kommunkoden %(code)s är okänd.") % {"where": where, "code": code}
                )
                continue
            codes.append(code)
        groups.append(GroupRow(item["id"], item["title"][:200], tuple(codes)))
    problems.raise_if_any()
    return groups
