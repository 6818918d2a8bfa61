from django.db import models


class Framework(models.TextChoices):
    YZJH = "yzjh", "县域义务教育优质均衡发展"
    XQPJPH = "xqpjph", "县域学前教育普及普惠发展"


class ItemKind(models.TextChoices):
    MEASURED = "measured", "数据测算"
    EVIDENCE = "evidence", "佐证材料评审"
    SURVEY = "survey", "问卷调查"
    VETO = "veto", "一票否决"


class Comparator(models.TextChoices):
    AT_LEAST = "ge", "不低于"
    AT_MOST = "le", "不高于"
    JUDGED = "judged", "评审认定"


class Verdict(models.TextChoices):
    PASS = "pass", "达标"
    FAIL = "fail", "未达标"
    PENDING = "pending", "待认定"


class ReviewVerdict(models.TextChoices):
    PASS = "pass", "达标"
    FAIL = "fail", "未达标"


class RespondentGroup(models.TextChoices):
    STUDENT = "student", "学生"
    PARENT = "parent", "家长"
    TEACHER = "teacher", "教师"
    PRINCIPAL = "principal", "校长"
    DEPUTY = "deputy", "人大代表、政协委员"
    PUBLIC = "public", "其他群众"


class Answer(models.IntegerChoices):
    SATISFIED = 1, "满意"
    RATHER_SATISFIED = 2, "比较满意"
    RATHER_UNSATISFIED = 3, "不太满意"
    UNSATISFIED = 4, "不满意"


# answers counted as recognition (认可)
SATISFIED_ANSWERS = frozenset({Answer.SATISFIED, Answer.RATHER_SATISFIED})


class MonitoringLevel(models.IntegerChoices):
    """学业表现水平 of the 国家义务教育质量监测 report (Ⅳ highest)."""

    I = 1, "Ⅰ级"  # noqa: E741
    II = 2, "Ⅱ级"
    III = 3, "Ⅲ级"
    IV = 4, "Ⅳ级"


class MonitoringGrade(models.IntegerChoices):
    FOURTH = 4, "四年级"
    EIGHTH = 8, "八年级"
