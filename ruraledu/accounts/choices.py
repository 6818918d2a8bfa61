from django.db import models


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "区教体局管理员"
    DISTRICT_LEADER = "district_leader", "区领导（只读）"
    DEPARTMENT_REPORTER = "department_reporter", "部门填报员"
    TOWN_OFFICER = "town_officer", "镇街（学区）教育办"
    SCHOOL_CLERK = "school_clerk", "学校填报员"
    INSPECTOR = "inspector", "责任督学"
    RESEARCHER = "researcher", "教研员"


class Action(models.TextChoices):
    """Permission codenames, kept in one enum."""

    VIEW = "view", "查看"
    CHANGE = "change", "修改"
    VIEW_PERSONAL = "view_personal", "查看未脱敏个人信息"
    REVIEW = "review", "审核"
    # Moving things between places: re-parenting a unit, moving a person between schools.
    MOVE = "move", "调整隶属关系、办理转学"


# What each role may do within the part of the tree (or department) it is assigned on.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.DISTRICT_ADMIN: frozenset(
        {Action.VIEW, Action.CHANGE, Action.VIEW_PERSONAL, Action.REVIEW, Action.MOVE}
    ),
    Role.DISTRICT_LEADER: frozenset({Action.VIEW}),
    Role.DEPARTMENT_REPORTER: frozenset({Action.VIEW, Action.CHANGE}),
    Role.TOWN_OFFICER: frozenset({Action.VIEW, Action.CHANGE}),
    Role.SCHOOL_CLERK: frozenset({Action.VIEW, Action.CHANGE, Action.VIEW_PERSONAL}),
    Role.INSPECTOR: frozenset({Action.VIEW}),
    Role.RESEARCHER: frozenset({Action.VIEW}),
}

DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_REPORTER})
