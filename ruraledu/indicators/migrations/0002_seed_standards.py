from django.db import migrations


def seed(apps, schema_editor):
    from ruraledu.indicators.standards import DEFAULTS

    Standard = apps.get_model("indicators", "Standard")
    for code, stage, value, name, source, year, provisional in DEFAULTS:
        Standard.objects.get_or_create(
            code=code, stage=stage,
            defaults={"value": value, "name": name, "source": source, "year": year, "provisional": provisional},
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
