from django.db import models


class PlacementState(models.TextChoices):
    """Where a child of the 残联 list stands in a school year (computed, not stored): from the
    registry (the enrolment's placement), else from a recorded decision, else unplaced."""

    MAINSTREAM = "mainstream", "随班就读"
    SPECIAL_SCHOOL = "special_school", "特教学校就读"
    HOME = "home", "送教上门"
    DEFERRED = "deferred", "暂缓入学"
    UNSUITABLE = "unsuitable", "经评估不适宜入学"
    ELSEWHERE = "elsewhere", "区外就读"
    ENROLLED = "enrolled", "在校就读（学籍未注明安置方式）"
    UNPLACED = "unplaced", "未安置"
    OUT_OF_AGE = "out_of_age", "不在义务教育年龄段"


class DecisionKind(models.TextChoices):
    """What a placement decision may say (the bureau's or town's, where the registry has none)."""

    MAINSTREAM = "mainstream", "随班就读"
    SPECIAL_SCHOOL = "special_school", "特教学校就读"
    HOME = "home", "送教上门"
    DEFERRED = "deferred", "暂缓入学"
    UNSUITABLE = "unsuitable", "经评估不适宜入学"
    ELSEWHERE = "elsewhere", "区外就读"


# decisions that name the school that teaches the child (in class, or at home)
NEEDS_SCHOOL = (DecisionKind.MAINSTREAM, DecisionKind.HOME)
# decisions that keep the child out of school for now: a reason and its evidence are required
NEEDS_EVIDENCE = (DecisionKind.DEFERRED, DecisionKind.UNSUITABLE)
