from django.db import models


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "区教体局管理员"
    DISTRICT_LEADER = "district_leader", "区领导（只读）"
    DEPARTMENT_REPORTER = "department_reporter", "部门填报员"
    TOWN_OFFICER = "town_officer", "镇街（学区）教育办"
    SCHOOL_CLERK = "school_clerk", "学校填报员"
    INSPECTOR = "inspector", "责任督学"
    RESEARCHER = "researcher", "教研员"
    # the school's 控辍保学 / 资助 officer: works its school's care cases, nothing else
    SCHOOL_CARE_OFFICER = "school_care_officer", "学校控辍保学/资助专干"


class Action(models.TextChoices):
    """Permission codenames, kept in one enum."""

    VIEW = "view", "查看"
    CHANGE = "change", "修改"
    VIEW_PERSONAL = "view_personal", "查看未脱敏个人信息"
    REVIEW = "review", "审核"
    # Moving things between places: re-parenting a unit, moving a person between schools.
    MOVE = "move", "调整隶属关系、办理转学"
    # Working care cases (控辍保学 一人一案): opening, following up, escalating
    CARE = "care", "办理关爱个案"
    # 责任督学: recording visits, raising findings, issuing and verifying 整改 at their schools
    SUPERVISE = "supervise", "督导检查与整改"
    # 教研员: recording 听课 at their linked (包校/定点联系) schools
    OBSERVE = "observe", "听课记录"


# What each role may do within the part of the tree (or department) it is assigned on.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.DISTRICT_ADMIN: frozenset(
        {
            Action.VIEW,
            Action.CHANGE,
            Action.VIEW_PERSONAL,
            Action.REVIEW,
            Action.MOVE,
            Action.CARE,
            Action.SUPERVISE,
            Action.OBSERVE,
        }
    ),
    Role.DISTRICT_LEADER: frozenset({Action.VIEW}),
    Role.DEPARTMENT_REPORTER: frozenset({Action.VIEW, Action.CHANGE}),
    Role.TOWN_OFFICER: frozenset({Action.VIEW, Action.CHANGE, Action.CARE}),
    Role.SCHOOL_CLERK: frozenset({Action.VIEW, Action.CHANGE, Action.VIEW_PERSONAL, Action.CARE}),
    Role.INSPECTOR: frozenset({Action.VIEW, Action.SUPERVISE}),
    Role.RESEARCHER: frozenset({Action.VIEW, Action.OBSERVE}),
    Role.SCHOOL_CARE_OFFICER: frozenset({Action.VIEW, Action.VIEW_PERSONAL, Action.CARE}),
}

# roles held on a single school only
SCHOOL_ONLY_ROLES = frozenset({Role.SCHOOL_CARE_OFFICER})

DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_REPORTER})
