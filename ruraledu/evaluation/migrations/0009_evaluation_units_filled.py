"""Fills 0008's district of what was stored (a migration of its own: PostgreSQL builds no
index of 0008 on a table with the fill's checks pending)."""

from django.conf import settings
from django.db import migrations


def plan_district(OrgUnit):
    districts = OrgUnit.objects.filter(kind="district").order_by("path")
    code = getattr(settings, "PLAN_DISTRICT_CODE", "")
    if districts.count() > 1 and not districts.filter(code=code).exists():
        raise RuntimeError(
            "平台上有多个区县，原有的督导评估数据须归属其中一个：请将 PLAN_DISTRICT_CODE 设为其区县代码后再升级。"
        )
    return (
        districts.filter(code=code).first()
        or districts.first()
        or OrgUnit.objects.filter(parent=None).order_by("path").first()
    )


def fill_units(apps, schema_editor):
    OrgUnit = apps.get_model("orgunits", "OrgUnit")
    Evaluation = apps.get_model("evaluation", "Evaluation")
    held = [Evaluation, apps.get_model("evaluation", "MonitoringResult")]
    if not any(model.objects.exists() for model in held):
        return
    unit = plan_district(OrgUnit)
    if unit is None:
        raise RuntimeError("督导评估数据须归属一个区县，但组织机构中没有任何单位：请先导入组织机构。")
    for model in held:
        model.objects.update(unit=unit)
    districts = list(OrgUnit.objects.filter(kind="district").exclude(pk=unit.pk))
    evidence = apps.get_model("evaluation", "ItemEvidence").objects.select_related(
        "school", "evaluation"
    )
    for file in evidence.exclude(school=None).exclude(school__path__startswith=unit.path):
        own = next((d for d in districts if file.school.path.startswith(d.path)), None)
        if own is not None:
            file.evaluation, _ = Evaluation.objects.get_or_create(
                unit=own, framework=file.evaluation.framework, year=file.evaluation.year
            )
            file.save(update_fields=["evaluation"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0008_evaluation_per_district")]

    operations = [migrations.RunPython(fill_units, migrations.RunPython.noop)]
