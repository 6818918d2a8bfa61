from django.db import models


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class LessonKind(models.TextChoices):
    PUBLIC = "public", "公开课"
    DEMONSTRATION = "demonstration", "示范课"
    FAMOUS = "famous", "名师课堂"
    OUTREACH = "outreach", "送教"


class TrainingKind(models.TextChoices):
    ROTATION = "rotation", "轮训"
    TOPIC = "topic", "专题培训"
    PRE_SERVICE = "pre_service", "任职资格培训"


class Programme(models.TextChoices):
    YOUNG_TEACHER = "young_teacher", "乡村优秀青年教师培养奖励计划"
    FAMOUS_TEACHER = "famous_teacher", "名师培养计划"
    FAMOUS_PRINCIPAL = "famous_principal", "名校（园）长培养计划"


class DistrictRole(models.TextChoices):
    DIRECTOR = "director", "学区主任"
    ADVISER = "adviser", "教育指导员"


class BaseKind(models.TextChoices):
    PRACTICE = "practice", "实习实训基地"
    RESEARCH = "research", "教科研基地"


class PilotLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "区级"


class ObservationSource(models.TextChoices):
    """How a 听课 or 公开课 record came in: both land in the same table and count the same."""

    IMPORT = "import", "Excel 导入"
    PLATFORM = "platform", "平台录入"


class ObservationRating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    FAIR = "fair", "合格"
    POOR = "poor", "待改进"
