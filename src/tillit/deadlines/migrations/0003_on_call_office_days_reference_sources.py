"""Office hours per weekday and the on-call service per unit; a source for each new-act reference.

The data step marks every SoL (2025:400) reference as not verified: none of them could be checked
against a primary source (the text of SFS 2025:400 or prop. 2024/25:89) with a recorded
citation, and förhandsbedömning had been marked checked with only prop. 2012/13:10 (an old-act
source) behind it. Users then see the old act's paragraph until someone verifies the new one and
records its source; the unverified text stays in `new_reference`.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def mark_unverified(apps, schema_editor):
    LegalRule = apps.get_model("deadlines", "LegalRule")
    LegalRule.objects.filter(new_reference_source="").update(new_reference_checked=False)


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0002_seed_legal_rules"),
        ("organisation", "0002_provider_orgnr_canonical"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalOfficeDay",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "weekday",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "måndag"),
                            (1, "tisdag"),
                            (2, "onsdag"),
                            (3, "torsdag"),
                            (4, "fredag"),
                            (5, "lördag"),
                            (6, "söndag"),
                        ],
                        verbose_name="veckodag",
                    ),
                ),
                ("opens", models.TimeField(blank=True, null=True, verbose_name="öppnar")),
                ("closes", models.TimeField(blank=True, null=True, verbose_name="stänger")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical kontorstid för en veckodag",
                "verbose_name_plural": "historical kontorstider per veckodag",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="OfficeDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "weekday",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "måndag"),
                            (1, "tisdag"),
                            (2, "onsdag"),
                            (3, "torsdag"),
                            (4, "fredag"),
                            (5, "lördag"),
                            (6, "söndag"),
                        ],
                        verbose_name="veckodag",
                    ),
                ),
                ("opens", models.TimeField(blank=True, null=True, verbose_name="öppnar")),
                ("closes", models.TimeField(blank=True, null=True, verbose_name="stänger")),
            ],
            options={
                "verbose_name": "kontorstid för en veckodag",
                "verbose_name_plural": "kontorstider per veckodag",
                "ordering": ["weekday"],
            },
        ),
        migrations.AddField(
            model_name="historicallegalrule",
            name="new_reference_source",
            field=models.CharField(
                blank=True,
                help_text="Hänvisning eller adress till lagtexten eller förarbetet som styrker lagrummet.",
                max_length=300,
                verbose_name="källa för nytt lagrum",
            ),
        ),
        migrations.AddField(
            model_name="historicalunitdeadlinepolicy",
            name="on_call_contact",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="socialjourens kontaktuppgifter"
            ),
        ),
        migrations.AddField(
            model_name="historicalunitdeadlinepolicy",
            name="on_call_group",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="När jouren är en grupp i kommunen (i denna eller en annan enhet).",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="organisation.group",
                verbose_name="socialjourens grupp",
            ),
        ),
        migrations.AddField(
            model_name="historicalunitdeadlinepolicy",
            name="on_call_name",
            field=models.CharField(
                blank=True,
                help_text="Den som gör skyddsbedömningen utanför kontorstid, t.ex. en gemensam socialjour. Lämnas tomt när jouren är en grupp nedan.",
                max_length=120,
                verbose_name="socialjourens namn",
            ),
        ),
        migrations.AddField(
            model_name="legalrule",
            name="new_reference_source",
            field=models.CharField(
                blank=True,
                help_text="Hänvisning eller adress till lagtexten eller förarbetet som styrker lagrummet.",
                max_length=300,
                verbose_name="källa för nytt lagrum",
            ),
        ),
        migrations.AddField(
            model_name="unitdeadlinepolicy",
            name="on_call_contact",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="socialjourens kontaktuppgifter"
            ),
        ),
        migrations.AddField(
            model_name="unitdeadlinepolicy",
            name="on_call_group",
            field=models.ForeignKey(
                blank=True,
                help_text="När jouren är en grupp i kommunen (i denna eller en annan enhet).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="organisation.group",
                verbose_name="socialjourens grupp",
            ),
        ),
        migrations.AddField(
            model_name="unitdeadlinepolicy",
            name="on_call_name",
            field=models.CharField(
                blank=True,
                help_text="Den som gör skyddsbedömningen utanför kontorstid, t.ex. en gemensam socialjour. Lämnas tomt när jouren är en grupp nedan.",
                max_length=120,
                verbose_name="socialjourens namn",
            ),
        ),
        migrations.AlterField(
            model_name="historicallegalrule",
            name="new_reference_checked",
            field=models.BooleanField(
                default=False,
                help_text="Markera bara när lagrummet har kontrollerats mot lagtexten i SFS 2025:400 och förarbetena, och ange källan.",
                verbose_name="nytt lagrum kontrollerat",
            ),
        ),
        migrations.AlterField(
            model_name="legalrule",
            name="new_reference_checked",
            field=models.BooleanField(
                default=False,
                help_text="Markera bara när lagrummet har kontrollerats mot lagtexten i SFS 2025:400 och förarbetena, och ange källan.",
                verbose_name="nytt lagrum kontrollerat",
            ),
        ),
        migrations.RunPython(mark_unverified, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="legalrule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("new_reference_checked", False),
                    models.Q(
                        models.Q(("new_reference", ""), _negated=True),
                        models.Q(("new_reference_source", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="legal_rule_checked_reference_has_source",
            ),
        ),
        migrations.AddField(
            model_name="historicalofficeday",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalofficeday",
            name="policy",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="deadlines.unitdeadlinepolicy",
                verbose_name="enhetens tidsfristregler",
            ),
        ),
        migrations.AddField(
            model_name="officeday",
            name="policy",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="office_days",
                to="deadlines.unitdeadlinepolicy",
                verbose_name="enhetens tidsfristregler",
            ),
        ),
        migrations.AddConstraint(
            model_name="officeday",
            constraint=models.UniqueConstraint(
                fields=("policy", "weekday"), name="office_day_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="officeday",
            constraint=models.CheckConstraint(
                condition=models.Q(("weekday__lte", 6)), name="office_day_weekday"
            ),
        ),
        migrations.AddConstraint(
            model_name="officeday",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("closes__isnull", True), ("opens__isnull", True)),
                    models.Q(
                        ("closes__isnull", False),
                        ("opens__isnull", False),
                        ("opens__lt", models.F("closes")),
                    ),
                    _connector="OR",
                ),
                name="office_day_opens_before_closing",
            ),
        ),
    ]
