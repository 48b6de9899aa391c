"""Key the access log's chain with HMAC (AUDIT_HMAC_KEY) and record where the key starts.

Rows already written keep their plain SHA-256 chain (`key_version` NULL); a signed switch row
says from which row on the chain is keyed, so old rows cannot be passed off as new or back.
"""

from django.db import migrations, models
from django.utils import timezone


def record_switch(apps, schema_editor):
    from tillit.audit.models import KEY_VERSION, chain_key, sign

    access_log = apps.get_model("audit", "AccessLog")
    key_switch = apps.get_model("audit", "AccessLogKeySwitch")
    last = access_log.objects.order_by("-seq").values_list("seq", flat=True).first()
    if last is None:
        return  # an empty log is keyed from its first row
    first_keyed = last + 1
    key_switch.objects.create(
        first_keyed_seq=first_keyed,
        key_version=KEY_VERSION,
        at=timezone.now(),
        mac=sign(chain_key(), "switch", first_keyed, KEY_VERSION),
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_accesslog_kundval_bases")]

    operations = [
        migrations.CreateModel(
            name="AccessLogKeySwitch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("first_keyed_seq", models.BigIntegerField(unique=True)),
                ("key_version", models.PositiveSmallIntegerField(default=1)),
                ("at", models.DateTimeField()),
                ("mac", models.CharField(max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name="accesslog",
            name="key_version",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(record_switch, migrations.RunPython.noop),
    ]
