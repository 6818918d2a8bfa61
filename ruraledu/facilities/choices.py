from django.db import models


class MealService(models.TextChoices):
    CANTEEN = "canteen", "自办食堂"
    CATERING = "catering", "集中配餐"
    NONE = "none", "无"


class TitleKind(models.TextChoices):
    CIVILISED = "civilised", "文明校园"
    GREEN = "green", "绿色校园"
    WARM = "warm", "温馨校园"
    READING = "reading", "书香校园"
    MODEL_KINDERGARTEN = "model_kg", "示范幼儿园"
    KINDERGARTEN_GRADE = "kg_grade", "幼儿园等级"


class TitleLevel(models.TextChoices):
    """Ordered from the top: a comparison "county level or above" is `rank <= county`."""

    NATIONAL = "1", "国家级"
    PROVINCIAL = "2", "省级"
    CITY = "3", "市级"
    COUNTY = "4", "县级"


class KindergartenGrade(models.TextChoices):
    GRADE_1 = "1", "一类"
    GRADE_2 = "2", "二类"
    GRADE_3 = "3", "三类"
    UNRATED = "9", "未评定"


class KindergartenLevel(models.TextChoices):
    NURSERY = "nursery", "托班"
    SMALL = "small", "小班"
    MIDDLE = "middle", "中班"
    LARGE = "large", "大班"
    MIXED = "mixed", "混龄班"


class VillageKind(models.TextChoices):
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"
