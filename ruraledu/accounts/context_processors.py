from django.urls import reverse

from .choices import Action, Role
from .scoping import bureau_units, can, scope_paths, user_departments, user_roles


def navigation(request):
    """Menu entries that fit the user's roles, grouped so that the bar fits on one line.

    `nav_groups` is a list of (label, entries): a group with a label is a drop-down menu, a
    group without one is a single top-level link. Only the daily work queues (my reports, the
    review queue) and the cockpit stay on the bar itself.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": [], "nav_items": []}
    from ruraledu.dashboards.selectors import unit_pages_open
    from ruraledu.evaluation.navigation import evaluation_item, expert_item

    plan = [("工作方案", reverse("plans:plan_detail"))]
    for department in user_departments(user):
        plan.append(
            (
                f"本部门：{department.name}",
                reverse("plans:department_detail", args=[department.code]),
            )
        )
    plan.append(("责任部门", reverse("plans:department_list")))
    plan.append(("节点任务", reverse("reporting:milestone_list")))
    if user.is_superuser or scope_paths(user, Action.VIEW):  # the reports within their reach
        plan.append(("我的文档", reverse("documents:document_list")))

    data = [("指标", reverse("indicators:indicator_list"))]
    if any(unit.kind != "district" for unit in bureau_units(user, Action.VIEW)):
        data.append(("各区县对比", reverse("dashboards:city")))  # a city's (province's) roles
    if unit_pages_open(user):  # the 优质均衡 page answers 404 to users without a unit
        data.append(("优质均衡", reverse("dashboards:yzjh")))
        data.append(evaluation_item(user))  # the whole evaluation, or the schools' diagnosis
    if expert := expert_item(user):  # one query, only for users who see no evaluation
        data.append(expert)
    if user.is_superuser or scope_paths(user, Action.VIEW):
        data.append(("学校与镇街", reverse("orgunits:unit_home")))
    from ruraledu.spreadsheets.base import IMPORTERS

    if any(can(user, action) for action in {c.upload_action for c in IMPORTERS.values()}):
        data.append(("数据导入与导出", reverse("spreadsheets:job_list")))  # as the page's title
    elif user.is_superuser or scope_paths(user, Action.VIEW):  # read-only roles export
        data.append(("数据导出", reverse("spreadsheets:job_list")))
    data.append(("学年", reverse("schoolyears:schoolyear_list")))
    if user.is_superuser or scope_paths(user, Action.VIEW):  # counts only without care rights
        data.append(("控辍保学", reverse("care:overview")))
        data.append(("留守与困境儿童", reverse("leftbehind:overview")))
        data.append(("残疾儿童安置", reverse("inclusion:overview")))
        data.append(("精准资助", reverse("aid:gap_list")))
    from ruraledu.forecast.selectors import can_view as forecast_open  # bureau and towns

    if forecast_open(user):
        data.append(("生源预测与编制", reverse("forecast:overview")))
    from ruraledu.planning.selectors import may_plan  # each district's bureau plans its own

    if may_plan(user):
        data.append(("达标最低成本方案", reverse("planning:scenario_list")))
        data.append(("走教与交流轮岗", reverse("planning:travel_list")))

    work, manage = _reporting_items(user)
    if user.is_staff and can(user, Action.CHANGE):
        manage.append(("管理后台", reverse("admin:index")))

    groups = [(None, [("驾驶舱", reverse("dashboards:cockpit"))])]
    groups.append(("方案与部门", plan))
    groups.append(("监测数据", data))
    supervision = _supervision_items(user)
    if supervision:
        groups.append(("督导", supervision))
    from ruraledu.hotline.navigation import hotline_items

    if hotline := hotline_items(user):
        groups.append(("热线与问责", hotline))
    groups.extend((None, [item]) for item in work)
    if manage:
        groups.append(("管理", manage))
    items = [item for _, entries in groups for item in entries]
    from ruraledu.reporting.selectors import unread_count

    return {"nav_groups": groups, "nav_items": items, "notices_unread": unread_count(user=user)}


# roles whose work includes supervision: they read visits and items (town, leader) or answer
# them (school); inspectors and researchers record, the bureau sets it up
SUPERVISION_READERS = frozenset({Role.DISTRICT_LEADER, Role.TOWN_OFFICER, Role.SCHOOL_CLERK})


def _supervision_items(user) -> list[tuple[str, str]]:
    from .policy import is_bureau

    bureau = is_bureau(user)
    if not (
        bureau
        or can(user, Action.SUPERVISE)
        or can(user, Action.OBSERVE)
        or user_roles(user) & SUPERVISION_READERS
    ):
        return []
    items = [
        ("督导工作台", reverse("supervision:home")),
        ("问题台账", reverse("supervision:ledger")),
        ("责任区与督学", reverse("supervision:overview")),
    ]
    if bureau:
        items.append(("督导设置", reverse("supervision:setup")))
    return items


def _reporting_items(user) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Work queues for the bar, and the audit trail for the management menu (no query beyond
    the cached role assignments)."""
    from ruraledu.reporting.querysets import authoring_paths

    from .policy import is_bureau

    work, manage = [], []
    if user_departments(user) or authoring_paths(user):
        work.append(("我的报告", reverse("reporting:my_reports")))
    if is_bureau(user):
        work.append(("审核队列", reverse("reporting:review_queue")))
        manage.append(("审计记录", reverse("audit:event_list")))
        manage.append(("消息推送渠道", reverse("channels:channel_list")))
    return work, manage
