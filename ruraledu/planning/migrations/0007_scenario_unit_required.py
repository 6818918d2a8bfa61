"""Scenarios now always name their district (filled by 0006)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("planning", "0006_scenario_units_filled")]

    operations = [
        migrations.AlterField(
            model_name="scenario",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgunits.orgunit",
                verbose_name="区县",
            ),
        ),
    ]
