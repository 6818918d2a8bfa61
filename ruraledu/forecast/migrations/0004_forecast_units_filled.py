"""Runs and the staffing standard stored before they belonged to a district go to the install's
district: its only one, else the plan district (PLAN_DISTRICT_CODE), else (no district units)
the tree's root. With several districts and none named, the upgrade stops and says so. The
install had one standard (the pages read the first row): that row becomes the district's; any
other row was never read and is dropped."""

from django.conf import settings
from django.db import migrations


def install_district(OrgUnit):
    districts = OrgUnit.objects.filter(kind="district").order_by("path")
    code = getattr(settings, "PLAN_DISTRICT_CODE", "")
    if districts.count() > 1 and not districts.filter(code=code).exists():
        raise RuntimeError(
            "平台上有多个区县，原有的生源预测和编制核定标准须归属其中一个：请将 PLAN_DISTRICT_CODE 设为其区县代码后再升级。"
        )
    return (
        districts.filter(code=code).first()
        or districts.first()
        or OrgUnit.objects.filter(parent=None).order_by("path").first()
    )


def fill_units(apps, schema_editor):
    ForecastRun = apps.get_model("forecast", "ForecastRun")
    StaffingRule = apps.get_model("forecast", "StaffingRule")
    if not (ForecastRun.objects.exists() or StaffingRule.objects.exists()):
        return
    unit = install_district(apps.get_model("orgunits", "OrgUnit"))
    if unit is None:
        raise RuntimeError(
            "生源预测和编制核定标准须归属一个区县，但组织机构中没有任何单位：请先导入组织机构。"
        )
    ForecastRun.objects.update(unit=unit)
    kept = StaffingRule.objects.order_by("pk").first()
    if kept is not None:
        StaffingRule.objects.exclude(pk=kept.pk).delete()
        kept.unit = unit
        kept.save(update_fields=["unit"])


class Migration(migrations.Migration):
    dependencies = [("forecast", "0003_forecast_per_district")]

    operations = [migrations.RunPython(fill_units, migrations.RunPython.noop)]
