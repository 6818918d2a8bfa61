"""Base models shared by the registry apps."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from . import crypto
from .schoolyear import school_year_label


class SchoolYearState(models.TextChoices):
    COLLECTING = "collecting", "填报中"
    CONFIRMED = "confirmed", "已确认"


class SchoolYear(models.Model):
    """A school year the registry holds. Rolling forward creates the next one, 填报中 until the
    bureau confirms it: targets are judged and headline figures shown on confirmed years only."""

    year = models.PositiveSmallIntegerField("学年", primary_key=True)
    is_current = models.BooleanField("当前学年", default=False)
    state = models.CharField(
        "状态", max_length=12, choices=SchoolYearState.choices, default=SchoolYearState.CONFIRMED
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rolled_from = models.PositiveSmallIntegerField("由此学年结转", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "学年"
        verbose_name_plural = "学年"
        ordering = ["-year"]

    def __str__(self) -> str:
        return school_year_label(self.year)


class SchoolYearCheck(models.Model):
    """A school's word that its data of a year being collected is complete and checked; the
    bureau confirms the year when the schools have checked theirs."""

    year = models.ForeignKey(
        SchoolYear, verbose_name="学年", on_delete=models.CASCADE, related_name="checks"
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="学校", on_delete=models.CASCADE, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField("核对时间", auto_now_add=True)

    class Meta:
        verbose_name = "学年数据核对"
        verbose_name_plural = "学年数据核对"
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="school_year_check_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} 已核对"


class Sex(models.TextChoices):
    """GB/T 2261.1."""

    MALE = "1", "男"
    FEMALE = "2", "女"


class PersonBase(models.Model):
    """A person identified by an ID number kept encrypted, with a blind index as natural key."""

    name = models.CharField("姓名", max_length=50)
    id_cipher = models.BinaryField("证件号（密文）", editable=False)
    id_index = models.CharField("证件号索引", max_length=32, unique=True, editable=False)
    id_hint = models.CharField("证件号提示", max_length=12, editable=False, default="")
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期", null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def set_id_number(self, value: str) -> None:
        value = crypto.normalise_id(value)
        self.id_cipher = crypto.encrypt(value)
        self.id_index = crypto.blind_index(value)
        self.id_hint = crypto.hint(value)

    @property
    def masked_id(self) -> str:
        return crypto.masked(self.id_hint)

    def id_number(self) -> str:
        """The clear ID number; callers check the view_personal permission and log the view."""
        return crypto.decrypt(self.id_cipher)


class PersonalDataAccess(models.Model):
    """Each time a clear ID number is shown or exported: who, whose, when, from where."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField("对象", max_length=50)  # e.g. "students.studentperson:42"
    purpose = models.CharField("用途", max_length=20)  # view | export
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"
        ordering = ["-at"]
        # the bureau's page reads one child's (or one export's) entries, newest first
        indexes = [models.Index(fields=["subject", "-at"], name="personal_access_subject")]

    def __str__(self) -> str:
        return f"{self.user} {self.purpose} {self.subject} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
