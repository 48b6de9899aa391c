"""Bounds on every value that enters Tillit through a form or the API.

The database refuses a string longer than its column, an integer past its column's range and a
decimal with more digits than it stores; it answered such input with a server error. So input is
bounded before it reaches an action, with a Swedish message, in one place:

- strings by the column they are stored in (`max_length_of`), free text by `MAX_TEXT`, e-mail
  addresses by `MAX_EMAIL` (the column, not the 320 characters Django's form field allows);
- integers by the range of PostgreSQL's `integer` (`INT_MIN`..`INT_MAX`) unless the domain says
  less; decimals by the column's digits;
- dates by a domain range: nothing Tillit records happened before 1900 or after 2100;
- lists by a domain count (e.g. children in one report);
- ids chosen from a list of records by their column (`IdsField`).

`bound_form` applies the same bounds to every field of a Django form that does not set its own;
the API's schemas use the annotated types below, and `tillit.api.api` turns pydantic's refusals
into Swedish messages (422).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    DecimalValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import connection, models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from pydantic import Field

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
# Free text (descriptions, reasons): about ten A4 pages.
MAX_TEXT = 20_000
# An e-mail address: the column Django's models.EmailField makes (its form field allows 320).
MAX_EMAIL = 254
MAX_CHILDREN_PER_REPORT = 20
MAX_ATTACHMENTS_PER_REPORT = 20


def max_length_of(model: type[models.Model], field: str) -> int:
    """The length the column holds: the bound for a string stored there."""
    length = model._meta.get_field(field).max_length  # type: ignore[union-attr]
    assert length is not None, f"{model.__name__}.{field} has no max_length"  # noqa: S101
    return int(length)


def decimal_bounds(model: type[models.Model], field: str) -> tuple[int, int]:
    """(max_digits, decimal_places) of a DecimalField."""
    column = model._meta.get_field(field)
    assert isinstance(column, models.DecimalField)  # noqa: S101
    return int(column.max_digits or 0), int(column.decimal_places or 0)


def validate_date_in_range(value: dt.date) -> None:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(
            _("Ange ett datum mellan %(first)s och %(last)s.")
            % {"first": DATE_MIN.isoformat(), "last": DATE_MAX.isoformat()},
            code="date_range",
        )


# --- Django forms ---------------------------------------------------------------------------------


def _has(field: forms.Field, kind: type) -> bool:
    return any(isinstance(v, kind) for v in field.validators)


def bound_field(field: forms.Field) -> None:
    """Give a field the bounds it lacks; bounds the field sets itself are kept. Django's own
    messages for these validators are in Swedish (LANGUAGE_CODE)."""
    if isinstance(field, forms.DecimalField):
        if field.max_digits is None:
            field.max_digits = 12
            for validator in field.validators:
                if isinstance(validator, DecimalValidator):
                    validator.max_digits = field.max_digits
    elif isinstance(field, forms.IntegerField):
        if not _has(field, MaxValueValidator):
            field.validators.append(MaxValueValidator(INT_MAX))
        if not _has(field, MinValueValidator):
            field.validators.append(MinValueValidator(INT_MIN))
    if isinstance(field, forms.DateField | forms.DateTimeField) and (
        validate_date_in_range not in field.validators
    ):
        field.validators.append(validate_date_in_range)
    if isinstance(field, forms.EmailField) and (
        field.max_length is None or field.max_length > MAX_EMAIL
    ):
        # Django's form field allows 320 characters, a models.EmailField column holds 254:
        # PostgreSQL refused the difference with a server error.
        field.max_length = MAX_EMAIL
        field.validators = [
            v for v in field.validators if not isinstance(v, MaxLengthValidator)
        ] + [MaxLengthValidator(MAX_EMAIL)]
        field.widget.attrs["maxlength"] = str(MAX_EMAIL)
    if (
        isinstance(field, forms.CharField)
        and not isinstance(field, forms.UUIDField)
        and field.max_length is None
    ):
        field.max_length = MAX_TEXT
        field.validators.append(MaxLengthValidator(MAX_TEXT))
        field.widget.attrs.setdefault("maxlength", str(MAX_TEXT))


_M = TypeVar("_M", bound=models.Model)


class IdsField(forms.ModelMultipleChoiceField[_M]):
    """Records chosen by id, each id within its column's range.

    Django keeps an id past the range from the database in `pk=` (it matches nothing), not in
    the `pk__in` query this field runs: SQLite raised OverflowError, a server error. Such an id
    is no choice; every form's multiple choice of records is one of these (tests/test_bounds)."""

    def clean(self, value: Any) -> QuerySet[_M]:
        meta = self.queryset.model._meta if self.queryset is not None else None
        key = None
        if meta is not None:
            key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(key, models.IntegerField) and isinstance(value, list | tuple):
            low, high = connection.ops.integer_field_range(key.get_internal_type())
            for item in value:
                try:
                    number = int(item)
                except (TypeError, ValueError):
                    continue  # not a number: refused as Django refuses it
                if not low <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super().clean(value)


def bound_form(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        bound_field(field)


# --- The API's schemas (pydantic) ----------------------------------------------------------------


def chars(max_length: int) -> Any:
    """`Annotated[str, chars(n)]`: a string of at most N characters."""
    return Field(max_length=max_length)


def fits(model: type[models.Model], field: str) -> Any:
    """`Annotated[str, fits(Model, "field")]`: a string the model's column holds."""
    return Field(max_length=max_length_of(model, field))


def items(max_length: int) -> Any:
    """`Annotated[list[...], items(n)]`: a list of at most N items."""
    return Field(max_length=max_length)


BoundedDate = Annotated[dt.date, Field(ge=DATE_MIN, le=DATE_MAX)]
BoundedInt = Annotated[int, Field(ge=INT_MIN, le=INT_MAX)]
Id = Annotated[int, Field(ge=1, le=INT_MAX)]


class BoundedMixin:
    """For every form: the bounds above on each field, including fields added in __init__."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        bound_form(self)  # type: ignore[arg-type]
        super().full_clean()  # type: ignore[misc]


class BoundedForm(BoundedMixin, forms.Form):
    pass
