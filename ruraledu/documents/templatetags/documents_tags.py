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
    if page == "yzjh" and KINDS["self_assessment"].allowed(user):
        fields = {"year": year, "unit": district.code if district is not None else ""}
        buttons.append(("documents:self_assessment_generate", None, "生成自评报告", fields))
    if page == "project" and project_number and KINDS["progress_report"].allowed(user):
        period = period_default(timezone.localdate())
        fields = {"project": project_number, "period": period.key}
        label = f"生成{period.label}项目进展报告"
        buttons.append(("documents:progress_report_generate", None, label, fields))
    return {"buttons": buttons, "csrf_token": context.get("csrf_token")}
