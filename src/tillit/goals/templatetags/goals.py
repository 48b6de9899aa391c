from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString

from tillit.goals.dashboard import IndicatorRow, number

register = template.Library()


@register.filter
def goal_number(value: Decimal | None) -> str:
    return number(value)


@register.filter
def line(lines: dict[int, Any] | None, percent: int) -> Any:
    return (lines or {}).get(int(percent))


@register.simple_tag
def goal_chart(row: IndicatorRow, municipality: str) -> SafeString:
    return row.chart(municipality)
