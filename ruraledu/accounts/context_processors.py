from django.urls import reverse

from .choices import Action
from .scoping import can, scope_paths, user_departments


def navigation(request):
    """Menu entries that fit the user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        ("驾驶舱", reverse("dashboards:cockpit")),
        ("工作方案", reverse("plans:plan_detail")),
        ("指标", reverse("indicators:indicator_list")),
        ("优质均衡", reverse("dashboards:yzjh")),
    ]
    for department in user_departments(user):
        items.append(
            (
                f"本部门：{department.name}",
                reverse("plans:department_detail", args=[department.code]),
            )
        )
    items.append(("责任部门", reverse("plans:department_list")))
    if user.is_superuser or scope_paths(user, Action.VIEW):
        items.append(("学校与镇街", reverse("orgunits:unit_home")))
    if can(user, Action.CHANGE):
        items.append(("数据导入", reverse("spreadsheets:job_list")))
    items.extend(_reporting_items(user))
    items.append(("学年", reverse("core:schoolyear_list")))
    return {"nav_items": items, "can_admin": user.is_staff and can(user, Action.CHANGE)}


def _reporting_items(user) -> list[tuple[str, str]]:
    """Progress reports and the audit trail (no query beyond the cached role assignments)."""
    from ruraledu.audit.permissions import is_bureau
    from ruraledu.reporting.querysets import authoring_paths

    items = []
    if user_departments(user) or authoring_paths(user):
        items.append(("我的报告", reverse("reporting:my_reports")))
    bureau = is_bureau(user)
    if bureau:
        items.append(("审核队列", reverse("reporting:review_queue")))
    items.append(("节点任务", reverse("reporting:milestone_list")))
    if bureau:
        items.append(("审计记录", reverse("audit:event_list")))
    items.append(("通知", reverse("reporting:notification_list")))
    return items
