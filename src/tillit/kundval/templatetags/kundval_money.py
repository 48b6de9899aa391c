"""{% load kundval_money %} ... {{ amount|kronor }}: amounts with two decimals in the active
language (12 345,60), from Decimal only."""

from __future__ import annotations

from decimal import Decimal

from django import template

from tillit.kundval.money import format_kronor, format_quantity

register = template.Library()


@register.filter
def kronor(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return ""
    return format_kronor(value)


@register.filter
def quantity(value: Decimal | None, unit: str) -> str:
    """{{ row.quantity|quantity:row.unit }}: "14,00 tim"."""
    if value is None or value == "":
        return ""
    return format_quantity(value, unit)
