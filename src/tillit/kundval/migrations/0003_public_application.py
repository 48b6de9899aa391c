"""The e-service application (issue 4): where an application came from, its submission key and
status link, the applicant's confirmation, when review began, capacity per applied area, the
documents' type and size, and organisation numbers in one stored form."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models
from stdnum.se import orgnr


def canonical_numbers(apps, schema_editor):
    for model_name in ("AuthorisationApplication", "HistoricalAuthorisationApplication"):
        model = apps.get_model("kundval", model_name)
        for pk, number in model.objects.values_list("pk", "organisation_number"):
            if orgnr.is_valid(number) and orgnr.format(number) != number:
                model.objects.filter(pk=pk).update(organisation_number=orgnr.format(number))


def capacity_per_area(apps, schema_editor):
    """The application's one capacity becomes the capacity of each area it applied for."""
    application_model = apps.get_model("kundval", "AuthorisationApplication")
    applied_model = apps.get_model("kundval", "AppliedArea")
    for pk, capacity in application_model.objects.exclude(capacity=None).values_list(
        "pk", "capacity"
    ):
        applied_model.objects.filter(application_id=pk).update(capacity=capacity)


def capacity_back(apps, schema_editor):
    application_model = apps.get_model("kundval", "AuthorisationApplication")
    applied_model = apps.get_model("kundval", "AppliedArea")
    for applied in applied_model.objects.exclude(capacity=None).order_by("-capacity"):
        application_model.objects.filter(pk=applied.application_id).update(
            capacity=applied.capacity
        )


class Migration(migrations.Migration):
    dependencies = [
        ("kundval", "0002_area_description_district_period"),
        ("organisation", "0002_provider_orgnr_canonical"),
    ]

    operations = [
        # The plain many-to-many table becomes the through model: same table, same columns.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AppliedArea",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "application",
                            models.ForeignKey(
                                db_column="authorisationapplication_id",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="applied_areas",
                                to="kundval.authorisationapplication",
                            ),
                        ),
                        (
                            "area",
                            models.ForeignKey(
                                db_column="kundvalarea_id",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="kundval.kundvalarea",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "sökt område",
                        "verbose_name_plural": "sökta områden",
                        "db_table": "kundval_authorisationapplication_areas",
                        "unique_together": {("application", "area")},
                    },
                ),
                migrations.AlterField(
                    model_name="authorisationapplication",
                    name="areas",
                    field=models.ManyToManyField(
                        related_name="+",
                        through="kundval.AppliedArea",
                        to="kundval.kundvalarea",
                        verbose_name="områden",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="appliedarea",
            name="capacity",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Tomt när anordnaren inte anger något tak.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="kapacitet (kunder)",
            ),
        ),
        migrations.RunPython(capacity_per_area, capacity_back),
        migrations.RemoveField(model_name="authorisationapplication", name="capacity"),
        migrations.RemoveField(model_name="historicalauthorisationapplication", name="capacity"),
        migrations.AddField(
            model_name="applicationdocument",
            name="content_type",
            field=models.CharField(blank=True, max_length=100, verbose_name="filtyp"),
        ),
        migrations.AddField(
            model_name="applicationdocument",
            name="size",
            field=models.PositiveIntegerField(default=0, verbose_name="storlek (byte)"),
        ),
        migrations.AddField(
            model_name="authorisationapplication",
            name="confirmed_true",
            field=models.BooleanField(
                default=False, verbose_name="sökanden intygar att uppgifterna är riktiga"
            ),
        ),
        migrations.AddField(
            model_name="authorisationapplication",
            name="review_started_on",
            field=models.DateField(blank=True, null=True, verbose_name="granskning påbörjad"),
        ),
        migrations.AddField(
            model_name="authorisationapplication",
            name="source",
            field=models.CharField(
                choices=[("handlaggare", "Registrerad av handläggare"), ("e_tjanst", "E-tjänst")],
                default="handlaggare",
                max_length=12,
                verbose_name="källa",
            ),
        ),
        migrations.AddField(
            model_name="authorisationapplication",
            name="status_token",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="authorisationapplication",
            name="submission_key",
            field=models.UUIDField(
                blank=True,
                editable=False,
                null=True,
                unique=True,
                verbose_name="inskickningsnyckel",
            ),
        ),
        migrations.AddField(
            model_name="historicalauthorisationapplication",
            name="confirmed_true",
            field=models.BooleanField(
                default=False, verbose_name="sökanden intygar att uppgifterna är riktiga"
            ),
        ),
        migrations.AddField(
            model_name="historicalauthorisationapplication",
            name="review_started_on",
            field=models.DateField(blank=True, null=True, verbose_name="granskning påbörjad"),
        ),
        migrations.AddField(
            model_name="historicalauthorisationapplication",
            name="source",
            field=models.CharField(
                choices=[("handlaggare", "Registrerad av handläggare"), ("e_tjanst", "E-tjänst")],
                default="handlaggare",
                max_length=12,
                verbose_name="källa",
            ),
        ),
        migrations.AddField(
            model_name="historicalauthorisationapplication",
            name="submission_key",
            field=models.UUIDField(
                blank=True,
                db_index=True,
                editable=False,
                null=True,
                verbose_name="inskickningsnyckel",
            ),
        ),
        migrations.RunPython(canonical_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="authorisationapplication",
            constraint=models.CheckConstraint(
                condition=models.Q(("organisation_number__regex", "^[0-9]{6}-[0-9]{4}$")),
                name="application_orgnr_canonical",
            ),
        ),
        migrations.AddConstraint(
            model_name="authorisationapplication",
            constraint=models.CheckConstraint(
                condition=models.Q(("source", "e_tjanst"), _negated=True)
                | models.Q(("status_token", ""), _negated=True),
                name="application_e_service_has_token",
            ),
        ),
    ]
