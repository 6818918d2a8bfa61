"""The unit of an item's second value (G10, G12, Q4 are rates like their first value), filled
for the items already loaded; loading the frameworks sets it from then on."""

from django.db import migrations, models

# the second values whose unit is not the first value's
OWN_UNIT = {("yzjh", "Q09"): ""}


def fill(apps, schema_editor):
    EvaluationItem = apps.get_model("evaluation", "EvaluationItem")
    for item in EvaluationItem.objects.exclude(second_comparator=""):
        item.second_unit = OWN_UNIT.get((item.framework, item.code), item.unit)
        item.save(update_fields=["second_unit"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0010_evaluation_unit_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluationitem",
            name="second_unit",
            field=models.CharField(
                blank=True, default="", max_length=8, verbose_name="第二数值单位"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
