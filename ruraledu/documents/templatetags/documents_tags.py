"""生成报告 buttons for the pages people look at, rendered per user outside the pages' cached
bodies (a form carries the user's CSRF token)."""

from django import template

from ruraledu.documents.catalogue import KINDS

register = template.Library()


@register.inclusion_tag("documents/_generate_buttons.html", takes_context=True)
def document_buttons(context, unit=None, page: str = ""):
    """The documents the user may generate here: a unit's diagnosis report(s) (school or
    town/district page), the 优质均衡 self-assessment (bureau, 优质均衡 page)."""
    request = context["request"]
    user = request.user
    buttons = []
    if unit is not None and KINDS["school_diagnosis"].allowed(user):
        # the page shows the unit only when it is in the user's reach
        label = "生成诊断报告" if unit.kind == "school" else "生成各校诊断报告（PDF 压缩包）"
        buttons.append(("documents:diagnosis_generate", unit.code, label))
    if page == "yzjh" and "self_assessment" in KINDS and KINDS["self_assessment"].allowed(user):
        buttons.append(("documents:self_assessment_generate", None, "生成自评报告"))
    year = request.GET.get("year", "")
    return {"buttons": buttons, "year": year, "csrf_token": context.get("csrf_token")}
