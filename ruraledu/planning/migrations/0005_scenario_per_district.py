"""Scenarios belong to a district: 优质均衡 is judged per district, so a platform serving several
districts plans each on its own (filled by 0006)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgunits", "0002_city_province_and_department_owner"),
        ("planning", "0004_schoollocation"),
    ]

    operations = [
        migrations.AddField(
            model_name="scenario",
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
