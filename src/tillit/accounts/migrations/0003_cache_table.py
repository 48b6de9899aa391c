"""The table of Django's database cache (CACHES, LOCATION "tillit_cache"), which holds the rate
limits shared by every server process. Made here so `tillit migrate` is the only step; with
Redis (CACHE_URL) it stays empty."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "tillit_cache"


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")




class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_enrolment_code")]

    operations = [migrations.RunPython(create, drop)]
