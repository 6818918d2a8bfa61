from django.db import models


class IdKind(models.TextChoices):
    RESIDENT_ID = "ric", "居民身份证号"
    STUDENT_NO = "student_no", "全国学籍号"


class Transport(models.TextChoices):
    NONE = "none", "无"
    SCHOOL_BUS = "school_bus", "校车"
    PUBLIC_BUS = "public_bus", "乡村公交"
    FAMILY = "family", "家长接送"
    WALK = "walk", "步行/自行"


SERVED_TRANSPORT = (Transport.SCHOOL_BUS, Transport.PUBLIC_BUS)


class Placement(models.TextChoices):
    NONE = "", "无"
    MAINSTREAM = "mainstream", "随班就读"
    HOME = "home", "送教上门"
    SPECIAL_SCHOOL = "special_school", "特教学校就读"


class FamilyStatus(models.TextChoices):
    NONE = "", "无"
    LIFTED = "lifted", "脱贫享受政策家庭"
    MONITORED = "monitored", "防止返贫动态监测家庭"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", "待转出学校确认"
    CONFIRMED = "confirmed", "已转学"
    DECLINED = "declined", "转出学校不同意"
    CANCELLED = "cancelled", "已撤回"
