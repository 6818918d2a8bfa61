"""Evaluations and 质量监测 results now always name their district (filled by 0009)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0009_evaluation_units_filled")]

    operations = [
        migrations.AlterField(
            model_name="evaluation",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgunits.orgunit",
                verbose_name="被评估区县",
            ),
        ),
        migrations.AlterField(
            model_name="monitoringresult",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgunits.orgunit",
                verbose_name="区县",
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.UniqueConstraint(
                fields=("unit", "framework", "year"), name="evaluation_unit_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="monitoringresult",
            constraint=models.UniqueConstraint(
                fields=("unit", "year", "grade", "subject"), name="monitoring_result_unit_unique"
            ),
        ),
    ]
