"""The plan's categories and default kinds of aid (unconfirmed, editable)."""

from django.db import migrations


def seed(apps, schema_editor):
    from ruraledu.aid.rules import rules_seed

    rules_seed(apps)


class Migration(migrations.Migration):
    dependencies = [("aid", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
