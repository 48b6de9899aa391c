"""Organisation numbers are stored in one form, NNNNNN-NNNN: rows written another way (through
`update()` or by hand) are rewritten, and the database refuses any other form from now on."""

from django.db import migrations, models
from stdnum.se import orgnr


def canonical(apps, schema_editor):
    for model_name in ("Provider", "HistoricalProvider"):
        model = apps.get_model("organisation", model_name)
        for pk, number in model.objects.values_list("pk", "organisation_number"):
            if orgnr.is_valid(number) and orgnr.format(number) != number:
                model.objects.filter(pk=pk).update(organisation_number=orgnr.format(number))


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(canonical, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="provider",
            constraint=models.CheckConstraint(
                condition=models.Q(("organisation_number__regex", "^[0-9]{6}-[0-9]{4}$")),
                name="provider_orgnr_canonical",
            ),
        ),
    ]
