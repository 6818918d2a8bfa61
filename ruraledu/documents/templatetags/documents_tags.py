"""生成报告 buttons for the pages people look at, rendered per user outside the pages' cached
bodies (a form carries the user's CSRF token)."""

from django import template
from django.utils import timezone

from ruraledu.documents.catalogue import KINDS
from ruraledu.documents.periods import period_default

register = template.Library()


@register.inclusion_tag("documents/_generate_buttons.html", takes_context=True)
def document_buttons(context, unit=None, page: str = "", project_number=None, district=None):
    """The documents the user may generate here: a unit's diagnosis report(s) (school or
    town/district page), the 优质均衡 self-assessment (bureau, 优质均衡 page), a key project's
    progress report for the last quarter (bureau, project page). `district`: the unit the
    优质均衡 page shows, whose self-assessment the button makes."""
    request = context["request"]
    user = request.user
    year = request.GET.get("year", "")
    buttons = []  # (url name, url argument, label, hidden fields)
    if unit is not None and KINDS["school_diagnosis"].allowed(user):
        # the page shows the unit only when it is in the user's reach
        label = "生成诊断报告" if unit.kind == "school" else "生成各校诊断报告（PDF 压缩包）"
        buttons.append(("documents:diagnosis_generate", unit.code, label, {"year": year}))
    if page == "yzjh" and (assessed := _assessed(user, district)) is not None:
        fields = {"year": year, "unit": assessed.code}
        buttons.append(("documents:self_assessment_generate", None, "生成自评报告", fields))
    if page == "project" and project_number and KINDS["progress_report"].allowed(user):
        period = period_default(timezone.localdate())
        fields = {"project": project_number, "period": period.key}
        label = f"生成{period.label}项目进展报告"
        buttons.append(("documents:progress_report_generate", None, label, fields))
    return {"buttons": buttons, "csrf_token": context.get("csrf_token")}


def _assessed(user, unit):
    """The district of the page's unit whose 自评报告 the user may make (none on a city's page,
    or for a user who is not that district's bureau)."""
    from ruraledu.documents.self_assessment import assessed_districts
    from ruraledu.evaluation.units import evaluated_unit_of

    district = evaluated_unit_of(unit.path) if unit is not None else None
    return district if district in assessed_districts(user) else None
