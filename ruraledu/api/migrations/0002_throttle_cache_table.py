"""The table of the shared API throttle cache (settings: CACHES["api_throttle"])."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # creates only the database caches' tables that are missing; others are left alone
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
