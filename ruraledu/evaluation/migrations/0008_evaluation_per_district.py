"""Evaluations and 质量监测 results belong to a district: a platform serving several districts
evaluates each on its own. What was stored belongs to the install's plan district (else its only
district, else its root), the one unit it was computed for; a school's own evidence goes to the
evaluation of the school's district."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0007_monitoring_results_responsible_unit"),
        ("orgunits", "0002_city_province_and_department_owner"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="evaluation", name="evaluation_unique"),
        migrations.RemoveConstraint(model_name="monitoringresult", name="monitoring_result_unique"),
        migrations.AddField(
            model_name="evaluation",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgunits.orgunit",
                verbose_name="被评估区县",
            ),
        ),
        migrations.AddField(
            model_name="monitoringresult",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgunits.orgunit",
                verbose_name="区县",
            ),
        ),
    ]
