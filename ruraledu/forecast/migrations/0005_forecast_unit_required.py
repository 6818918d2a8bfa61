"""Runs and staffing standards now always name their district (filled by 0004)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("forecast", "0004_forecast_units_filled")]

    operations = [
        migrations.AlterField(
            model_name="forecastrun",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgunits.orgunit",
                verbose_name="区县",
            ),
        ),
        migrations.AlterField(
            model_name="staffingrule",
            name="unit",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgunits.orgunit",
                verbose_name="区县",
            ),
        ),
    ]
