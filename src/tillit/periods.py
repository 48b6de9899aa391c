"""Validity periods (from and including – to and including, open-ended when `valid_to` is empty)."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def active_on(on: dt.date, prefix: str = "") -> Q:
    """Rows whose period covers the date; `prefix` reaches through a relation ("memberships__")."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def period_order(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name=name
    )


class Period(models.Model):
    valid_from = models.DateField(_("från och med"))
    valid_to = models.DateField(_("till och med"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_active(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)
