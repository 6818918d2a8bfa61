from django.db import models


class AidFlag(models.TextChoices):
    """The registry's care flags on an enrolment that a category of aid rests on."""

    ORPHAN = "orphan", "孤儿"
    HARDSHIP = "hardship", "重点困境儿童"
    UNATTENDED = "unattended", "事实无人抚养儿童"
    DISABILITY = "disability", "残疾儿童"
    LEFT_BEHIND = "left_behind", "农村留守儿童"
    FAMILY_LIFTED = "family_lifted", "脱贫享受政策家庭儿童"
    FAMILY_MONITORED = "family_monitored", "防止返贫动态监测家庭儿童"


class AidStage(models.TextChoices):
    PRESCHOOL = "preschool", "学前教育"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "普通高中"


# the enrolment grades of each stage (kindergartens keep no enrolments: their children are
# counted through classes, so preschool aid has no pupils to check against)
STAGE_GRADES: dict[str, tuple[int, ...]] = {
    AidStage.PRESCHOOL: (),
    AidStage.PRIMARY: tuple(range(1, 7)),
    AidStage.JUNIOR: (7, 8, 9),
    AidStage.SENIOR: (10, 11, 12),
}


class Semester(models.IntegerChoices):
    AUTUMN = 1, "第一学期（秋季）"
    SPRING = 2, "第二学期（春季）"


class GapKind(models.TextChoices):
    UNAIDED = "unaided", "应助未助"
    NOT_ELIGIBLE = "not_eligible", "不再符合条件"
    DUPLICATE = "duplicate", "重复资助"
