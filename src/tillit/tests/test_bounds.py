"""Bounds every form gets (tillit.bounds): an e-mail address is bounded by its column (254), not by
the 320 characters Django's form field allows. PostgreSQL refused the longer ones with a server
error on the public complaint form, the complaint, report and kundval application forms."""

from __future__ import annotations

import importlib

import pytest
from django import forms

from tillit.bounds import MAX_EMAIL, IdsField, bound_field
from tillit.children.forms import ReportForm
from tillit.incidents.forms import ComplaintForm, PublicComplaintForm
from tillit.kundval.forms import ApplicationForm, PublicApplicationForm
from tillit.kundval.models import KundvalArea
from tillit.organisation.models import Group, Provider, Unit

# A valid address of 307 characters: fits Django's 320, not the column's 254.
LONG_EMAIL = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".se"
FITS = "a" * 60 + "@" + ".".join(["b" * 60] * 3) + ".se"  # 246 characters


def _forms(data):
    none = {"units": Unit.objects.none(), "providers": Provider.objects.none()}
    return {
        "contact_email": [ComplaintForm(data, **none), PublicComplaintForm(data, **none)],
        "reporter_email": [ReportForm(data, groups=Group.objects.none())],
        "email": [
            ApplicationForm(data, areas=KundvalArea.objects.none()),
            PublicApplicationForm(data, areas=KundvalArea.objects.none()),
        ],
    }


@pytest.mark.parametrize(("value", "refused"), [(LONG_EMAIL, True), (FITS, False)])
def test_every_email_field_holds_what_its_column_holds(db, value, refused):
    assert (len(LONG_EMAIL), len(FITS)) == (307, 246)
    for name, found in _forms(
        {"contact_email": value, "reporter_email": value, "email": value}
    ).items():
        for form in found:
            form.full_clean()
            errors = form.errors.get(name, [])
            assert any("som mest 254 tecken" in e for e in errors) is refused, (form, errors)
            assert form.fields[name].widget.attrs["maxlength"] == "254"


def test_a_field_with_a_smaller_bound_keeps_it():
    field = forms.EmailField(max_length=100)
    bound_field(field)
    assert field.max_length == 100
    plain = forms.EmailField()
    bound_field(plain)
    assert plain.max_length == MAX_EMAIL


# --- Ids chosen from a list of records --------------------------------------------------------

FORM_MODULES = [
    "access.forms",
    "access.log_review_forms",
    "accounts.forms",
    "children.forms",
    "directory.person_forms",
    "goals.forms",
    "incidents.forms",
    "kundval.area_forms",
    "kundval.forms",
    "kundval.price_forms",
    "orgwork.forms",
    "public.forms",
    "quality.forms",
    "surveys.forms",
]


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_multiple_choice_of_records_bounds_its_ids():
    for module in FORM_MODULES:
        importlib.import_module(f"tillit.{module}")
    plain = {
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _subclasses(forms.BaseForm)
        if form.__module__.startswith("tillit.")
        for name, field in form.base_fields.items()
        if isinstance(field, forms.ModelMultipleChoiceField) and not isinstance(field, IdsField)
    }
    assert plain == set()


@pytest.mark.parametrize("given", ["9" * 20, "-" + "9" * 20])
def test_an_id_past_its_column_is_no_choice(db, given):
    # The pk__in query ran with it: OverflowError on SQLite, a server error (found by fuzzing
    # the officer's application form, districts=99999999999999999999).
    form = ApplicationForm(
        {"areas": [given], "districts": [given]}, areas=KundvalArea.objects.all()
    )
    form.full_clean()
    for name in ("areas", "districts"):
        assert "Välj ett giltigt alternativ" in form.errors[name][0], form.errors
