"""Evaluations and 质量监测 results belong to a district: a platform serving several districts
evaluates each on its own. What was stored belongs to the install's plan district (else its
first district, else its root), the one unit it was computed for."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def plan_district(OrgUnit):
    districts = OrgUnit.objects.filter(kind="district").order_by("path")
    code = getattr(settings, "PLAN_DISTRICT_CODE", "")
    return (
        districts.filter(code=code).first()
        or districts.first()
        or OrgUnit.objects.filter(parent=None).order_by("path").first()
    )


def fill_units(apps, schema_editor):
    OrgUnit = apps.get_model("orgunits", "OrgUnit")
    held = [apps.get_model("evaluation", name) for name in ("Evaluation", "MonitoringResult")]
    if not any(model.objects.exists() for model in held):
        return
    unit = plan_district(OrgUnit)
    if unit is None:
        raise RuntimeError("督导评估数据须归属一个区县，但组织机构中没有任何单位：请先导入组织机构。")
    for model in held:
        model.objects.update(unit=unit)


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
        migrations.RunPython(fill_units, migrations.RunPython.noop),
    ]
