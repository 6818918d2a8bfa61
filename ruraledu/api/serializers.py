"""Response shapes (read-only model serializers) and request bodies (strict)."""

from rest_framework import serializers

from ruraledu.core.schoolyear import school_year_label, upload_years
from ruraledu.core.templatetags.privacy import person_name
from ruraledu.indicators.models import IndicatorValue, RecomputeJob, TargetState, TargetStatusChange
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.plans.models import Project, Section, Target
from ruraledu.reporting.models import ProgressReport, ReportingPeriod
from ruraledu.spreadsheets.models import ImportJob
from ruraledu.students.choices import Placement
from ruraledu.students.models import Enrolment
from ruraledu.students.privacy import CATEGORIES, withhold_categories
from ruraledu.workforce.models import Post

from .base import StrictSerializer


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "kind", "parent", "path", "depth", "is_active"]


class SchoolSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="org_unit.code", read_only=True)
    name = serializers.CharField(source="org_unit.name", read_only=True)
    parent = serializers.CharField(source="org_unit.parent.code", read_only=True, allow_null=True)

    class Meta:
        model = School
        fields = [
            "code",
            "name",
            "parent",
            "stage",
            "ownership",
            "is_inclusive",
            "urban_rural_code",
            "is_town_seat",
            "campus_type",
        ]


class PostSerializer(serializers.ModelSerializer):
    """A staff member's post in a school year, as the school's staff page shows it: name, ID
    number masked."""

    person = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.CharField(source="person.masked_id", read_only=True)
    school = serializers.CharField(source="school.org_unit.code", read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "person",
            "name",
            "id_number_masked",
            "school",
            "year",
            "position",
            "is_establishment",
            "is_full_time_teacher",
            "subject",
            "degree",
            "title",
            "honour",
            "honour_level",
            "is_researcher",
        ]


MASKED_NULL = "姓名脱敏（name_masked 为 true）时为 null：关注类别与姓名一同显示"


def _flag(label: str):
    return serializers.BooleanField(
        read_only=True, allow_null=True, help_text=f"{label}；{MASKED_NULL}"
    )


class EnrolmentSerializer(serializers.ModelSerializer):
    """A pupil's enrolment, as the school's student page shows it: the name in full only where
    the user's role there may see personal data (else 张*明), the ID number always masked, and
    the care categories null where the name is masked.
    The view puts `personal` (accounts.policy.Reach for VIEW_PERSONAL) in the context."""

    person = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.SerializerMethodField()
    name_masked = serializers.SerializerMethodField()
    id_number_masked = serializers.CharField(source="person.masked_id", read_only=True)
    school = serializers.CharField(source="school.org_unit.code", read_only=True)
    campus = serializers.CharField(source="campus.org_unit.code", read_only=True, allow_null=True)
    left_behind = _flag("留守儿童")
    disability = _flag("残疾")
    placement = serializers.ChoiceField(
        Placement.choices, read_only=True, allow_null=True, help_text=f"安置方式；{MASKED_NULL}"
    )
    struggling = _flag("学困生")
    difficult = serializers.SerializerMethodField(
        help_text=f"困境：孤儿、事实无人抚养或困境儿童；{MASKED_NULL}"
    )

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "person",
            "name",
            "name_masked",
            "id_number_masked",
            "school",
            "campus",
            "year",
            "grade",
            "class_name",
            "boarding",
            "distance_km",
            "transport",
            "left_behind",
            "disability",
            "placement",
            "struggling",
            "difficult",
        ]

    def _clear(self, enrolment) -> bool:
        return self.context["personal"].covers(enrolment.school.org_unit.path)

    def get_name(self, enrolment) -> str:
        return person_name(enrolment.person.name, self._clear(enrolment))

    def get_name_masked(self, enrolment) -> bool:
        return not self._clear(enrolment)

    def get_difficult(self, enrolment) -> bool | None:
        """困境 on the page: orphan, without carer, or in hardship."""
        return enrolment.orphan or enrolment.unattended or enrolment.hardship

    def to_representation(self, enrolment):
        data = super().to_representation(enrolment)
        return withhold_categories(data, self._clear(enrolment), (*CATEGORIES, "difficult"))


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "number", "kind", "title", "text"]


class ProjectSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="section.number", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "number", "name", "section", "tasks_text", "goals_text"]


class TargetSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project.number", read_only=True, allow_null=True)
    section = serializers.IntegerField(source="section.number", read_only=True, allow_null=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "code",
            "text",
            "kind",
            "project",
            "section",
            "due_date",
            "recurrence",
            "scope",
            "comparator",
            "threshold",
            "threshold_max",
            "unit",
            "indicator_code",
        ]


class IndicatorDefinitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    unit = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    numerator_label = serializers.CharField()
    denominator_label = serializers.CharField()
    has_denominator = serializers.SerializerMethodField()

    def get_has_denominator(self, indicator) -> bool:
        return indicator.denominator is not None


class IndicatorValueSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = IndicatorValue
        fields = ["code", "unit", "year", "value", "numerator", "denominator", "computed_at"]


class TargetStateSerializer(serializers.ModelSerializer):
    target = serializers.CharField(source="target.code", read_only=True)

    class Meta:
        model = TargetState
        fields = ["target", "status", "value", "value_year", "projected", "note", "evaluated_at"]


class TargetStatusChangeSerializer(serializers.ModelSerializer):
    target = serializers.CharField(source="target.code", read_only=True)

    class Meta:
        model = TargetStatusChange
        fields = ["id", "target", "previous", "status", "value", "changed_at"]


class ReportingPeriodSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project.number", read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "project",
            "frequency",
            "label",
            "starts_on",
            "ends_on",
            "deadline",
            "deadline_provisional",
        ]


class ProgressReportSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="org_unit.code", read_only=True, allow_null=True)
    department = serializers.CharField(source="department.code", read_only=True, allow_null=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "period",
            "unit",
            "department",
            "status",
            "version",
            "submitted_at",
            "reviewed_at",
            "updated_at",
        ]


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "year",
            "filename",
            "status",
            "progress",
            "total_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "errors",
            "message",
            "created_at",
        ]


class RecomputeJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecomputeJob
        fields = ["id", "status", "progress", "message", "years", "created_at", "finished_at"]


class ImportUploadSerializer(StrictSerializer):
    kind = serializers.CharField(max_length=32, help_text="数据类型，如 schools、staff")
    year = serializers.IntegerField(
        help_text="学年（起始年份），与上传页面可选的学年相同："
        "正在填报的学年（或当前学年）、其下一学年和此前 5 个学年"
    )
    file = serializers.FileField(help_text="按导入模板填写的 .xlsx 文件")

    def validate_year(self, year: int) -> int:
        years = upload_years()
        if year not in years:
            raise serializers.ValidationError(
                f"只能导入{school_year_label(years[-1])}至{school_year_label(years[0])}的数据"
                "（与上传页面可选的学年相同）。"
            )
        return year


class RecomputeSerializer(StrictSerializer):
    """A recompute of every indicator; the body may be empty."""


class DataValueSerializer(StrictSerializer):
    dataElement = serializers.CharField(max_length=64)
    period = serializers.RegexField(r"^\d{4}$", help_text="学年的起始年份，如 2024")
    orgUnit = serializers.CharField(max_length=32)
    categoryOptionCombo = serializers.ChoiceField(
        choices=["value", "numerator", "denominator"], required=False, default="value"
    )
    value = serializers.CharField(max_length=32, allow_blank=True)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True)
    # DHIS2's bookkeeping fields are accepted (an export goes back in as it is) and not stored
    lastUpdated = serializers.DateTimeField(required=False)
    created = serializers.DateTimeField(required=False)
    storedBy = serializers.CharField(max_length=100, required=False, allow_blank=True)


class DataValueSetSerializer(StrictSerializer):
    dataValues = DataValueSerializer(many=True, allow_empty=False, max_length=200_000)
