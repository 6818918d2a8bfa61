from django.db import models


class Position(models.TextChoices):
    PRINCIPAL = "principal", "校长"
    VICE_PRINCIPAL = "vice_principal", "副校长"
    KG_PRINCIPAL = "kg_principal", "园长"
    KG_VICE_PRINCIPAL = "kg_vice_principal", "副园长"
    PARTY_SECRETARY = "secretary", "党组织书记"
    MIDDLE_MANAGER = "manager", "中层干部"
    TEACHER = "teacher", "教师"
    RESEARCHER = "researcher", "教研员"
    STAFF = "staff", "其他职工"


LEADER_POSITIONS = (
    Position.PRINCIPAL,
    Position.VICE_PRINCIPAL,
    Position.KG_PRINCIPAL,
    Position.KG_VICE_PRINCIPAL,
)


class Degree(models.TextChoices):
    """Highest degree, GB/T 4658 codes (first digit)."""

    POSTGRADUATE = "1", "研究生"
    BACHELOR = "2", "本科"
    COLLEGE = "3", "专科"
    SECONDARY = "4", "中专/高中"
    BELOW = "9", "高中以下"


class Subject(models.TextChoices):
    CHINESE = "chinese", "语文"
    MATHS = "maths", "数学"
    ENGLISH = "english", "英语"
    SCIENCE = "science", "科学"
    PHYSICS = "physics", "物理"
    CHEMISTRY = "chemistry", "化学"
    BIOLOGY = "biology", "生物"
    HISTORY = "history", "历史"
    GEOGRAPHY = "geography", "地理"
    POLITICS = "politics", "道德与法治"
    PE = "pe", "体育"
    MUSIC = "music", "音乐"
    ART = "art", "美术"
    IT = "it", "信息技术"
    LABOUR = "labour", "劳动"
    PSYCHOLOGY = "psychology", "心理健康"
    PRESCHOOL = "preschool", "学前教育"
    SPECIAL = "special", "特殊教育"
    OTHER = "other", "其他"


PE_ART_SUBJECTS = (Subject.PE, Subject.MUSIC, Subject.ART)


class Title(models.TextChoices):
    SENIOR_PLUS = "1", "正高级"
    SENIOR = "2", "高级"
    FIRST = "3", "一级"
    SECOND = "4", "二级"
    THIRD = "5", "三级"
    NONE = "9", "未定级"


class BackboneLevel(models.TextChoices):
    """骨干/名师 level; "county or above" is everything but NONE."""

    NONE = "", "无"
    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "国家级"


class Honour(models.TextChoices):
    NONE = "", "无"
    BACKBONE = "backbone", "骨干教师"
    FAMOUS_TEACHER = "famous_teacher", "名师"
    FAMOUS_PRINCIPAL = "famous_principal", "名校（园）长"
    SUBJECT_LEADER = "subject_leader", "学科带头人"
