from django.db import models


class SectionKind(models.TextChoices):
    ACTION = "action", "行动"
    GUARANTEE = "guarantee", "保障"


class ResponsibilityRole(models.TextChoices):
    LEAD = "lead", "牵头"
    PARTNER = "partner", "参与"


class TargetKind(models.TextChoices):
    MEASURED = "measured", "计量指标"
    MILESTONE = "milestone", "节点任务"


class Recurrence(models.TextChoices):
    ONCE = "once", "到期一次"
    YEARLY = "yearly", "每年"
    SEMESTER = "semester", "每学期"
    CONTINUOUS = "continuous", "持续"


class Comparator(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    EQ = "eq", "="
    BETWEEN = "between", "介于"
    INCREASE = "increase", "逐步提升（不低于上年）"
    RISE = "rise", "逐年提升（高于上年）"


# Comparators that judge a year against the year before, not against a threshold.
YEAR_ON_YEAR = frozenset({Comparator.INCREASE, Comparator.RISE})


class TargetScope(models.TextChoices):
    DISTRICT = "district", "全区"
    ALL_SCHOOLS = "all_schools", "全部学校"
    RURAL_SCHOOLS = "rural_schools", "乡村学校（含幼儿园）"
    RURAL_COMPULSORY = "rural_compulsory", "乡村义务教育学校"
    RURAL_PUBLIC = "rural_public", "乡村公办中小学、幼儿园"
    RURAL_KINDERGARTENS = "rural_kindergartens", "乡村幼儿园"
    TOWN_KINDERGARTENS = "town_kindergartens", "乡镇幼儿园"
    TOWN_SEAT_SCHOOLS = "town_seat_schools", "镇驻地中小学校"
    COMPULSORY = "compulsory", "义务教育学校"
    TOWNS = "towns", "各镇"
    PILOT_TOWNS = "pilot_towns", "强镇筑基试点镇"
    VILLAGES = "villages", "村居"
    RURAL_STUDENTS = "rural_students", "乡村学生"
    RURAL_TEACHERS = "rural_teachers", "乡村教师"
    RURAL_PRINCIPALS = "rural_principals", "乡村校（园）长"
    STAFF = "staff", "教研员和骨干教师"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
