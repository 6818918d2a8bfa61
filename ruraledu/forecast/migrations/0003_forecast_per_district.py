"""Forecast runs and staffing standards belong to a district: a platform serving several
districts forecasts each on its own, and each district's bureau sets its own 编制核定标准
(filled by 0004)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgunits", "0002_city_province_and_department_owner"),
        ("forecast", "0002_run_status_subject_hours"),
    ]

    operations = [
        migrations.AddField(
            model_name="forecastrun",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgunits.orgunit",
                verbose_name="区县",
            ),
        ),
        migrations.AddField(
            model_name="staffingrule",
            name="unit",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgunits.orgunit",
                verbose_name="区县",
            ),
        ),
    ]
