"""Importers for activities and programmes (听课, 公开课, 研学, 培训, 工作室, 基地, 支教 …)."""

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import AuditEntry, audit_bulk, entry_of_write
from ruraledu.core import crypto
from ruraledu.core.bulk import select_in
from ruraledu.core.schoolyear import school_year_label, school_year_of
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS
from ruraledu.orgunits.lookups import SchoolLookup
from ruraledu.orgunits.models import OrgUnit, School, SchoolDistrict
from ruraledu.spreadsheets.base import (
    Column,
    ErrorSink,
    Importer,
    SheetSpec,
    at_school,
    register,
)
from ruraledu.spreadsheets.importing import RecordImporter, id_problem, pks_by_id_number
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.lookups import StaffLookup
from ruraledu.workforce.models import StaffPerson

from . import models
from .choices import BaseKind, DistrictRole, LessonKind, Level, PilotLevel, Programme, TrainingKind

SCHOOL = Column("school", "学校代码", required=True)
PERSON = Column("person", "身份证号", kind="id_number", required=True, width=22)
HELD_ON = Column("held_on", "日期", kind="date", required=True)


def _choices(enum) -> tuple:
    return tuple(enum.choices)


def _towns() -> dict[str, tuple[int, str]]:
    """Town code -> (pk, org-tree path)."""
    rows = OrgUnit.objects.filter(kind__in=TOWN_LEVEL_KINDS).values_list("code", "pk", "path")
    return {code: (pk, path) for code, pk, path in rows}


class ActivityImporter(RecordImporter, Importer):
    """Context: the uploader's change reach, schools in it and the staff named in the file
    who are posted this year at a school in it. Every row's school, town and person is
    checked against that one reach."""

    person_columns: tuple[str, ...] = ()

    def validate(self, rows, *, year, user):
        self._rows = rows
        return super().validate(rows, year=year, user=user)

    def write(self, rows, *, year, user):
        self._rows = rows
        return super().write(rows, year=year, user=user)

    def context(self, user):
        numbers = [r.values.get(c) for r in self._rows for c in self.person_columns]
        reach = Reach(user, Action.CHANGE)
        return {
            "reach": reach,
            "schools": SchoolLookup(user),
            "staff": StaffLookup(numbers, reach=reach, year=self.current_year),
        }

    @staticmethod
    def cached(ctx: dict, name: str, load):
        """A look-up table loaded once per import (setdefault would query for every row)."""
        if name not in ctx:
            ctx[name] = load()
        return ctx[name]

    def school(self, row, ctx, bad, key="school"):
        code = row.values.get(key)
        if not code:
            return None
        if problem := ctx["schools"].problem(code):
            bad(key, problem)
            return None
        return ctx["schools"].get(code).pk

    def person(self, row, ctx, bad, key="person"):
        return ctx["staff"].resolve(row.values.get(key), bad, key)

    def town(self, row, ctx, bad, key="town"):
        """The pk of the row's town, which must be in the uploader's reach."""
        towns = self.cached(ctx, "towns", _towns)
        code = row.values.get(key)
        if not code:
            return None
        if code not in towns:
            bad(key, "镇街代码不存在")
            return None
        pk, path = towns[code]
        if not ctx["reach"].covers(path):
            bad(key, "无权导入该镇街的数据（不在您的管辖范围内）")
            return None
        return pk

    def in_year(self, row, bad, key="held_on"):
        day = row.values.get(key)
        if day and self.current_year is not None and school_year_of(day) != self.current_year:
            bad(key, f"日期不在{school_year_label(self.current_year)}内")

    def _collect(self, rows, user, year, errors=None):
        self.current_year = year
        return super()._collect(rows, user, year, errors)

    def export_rows(self, *, year, user, school=None):
        """The user's records: at schools in scope, or of staff posted there this year."""
        schools = School.objects.for_user(user)
        fields = {f.name for f in self.model._meta.get_fields()}
        queryset = self.model.objects.all()
        if "school" in fields and self.model is not models.Studio:
            queryset = at_school(queryset.filter(school__in=schools), school)
        elif "person" in fields:
            queryset = queryset.filter(
                person__posts__school__in=schools, person__posts__year=year
            ).distinct()
        elif "town" in fields:
            queryset = queryset.filter(town__in=OrgUnit.objects.for_user(user))
        else:
            queryset = queryset.filter(school_district__town__in=OrgUnit.objects.for_user(user))
        if self.year_field:
            queryset = queryset.filter(year=year)
        personal = Reach(user, Action.VIEW_PERSONAL)
        for obj in queryset.order_by("pk"):
            clear = personal.whole_tree or personal.covers(_record_path(obj))
            yield {c.key: _export_value(obj, c.key, clear) for c in self.spec.columns}


def _record_path(obj) -> str | None:
    """Where a record lives for the personal-data rule: its school, else its town."""
    if getattr(obj, "school_id", None):
        return obj.school.org_unit.path
    town = getattr(obj, "town", None)
    return town.path if town else None


def _export_value(obj, key: str, clear: bool):
    attribute = {
        "person": "observer"
        if hasattr(obj, "observer_id")
        else "teacher"
        if hasattr(obj, "teacher_id")
        else "person"
    }.get(key, key)
    value = getattr(obj, attribute, None)
    if isinstance(value, StaffPerson):
        return value.id_number() if clear else value.masked_id
    if isinstance(value, School):
        return value.org_unit.code
    if isinstance(value, OrgUnit):
        return value.code
    if isinstance(value, SchoolDistrict):
        return value.name
    return value


@register
class ObservationImporter(ActivityImporter):
    model = models.LessonObservation
    key_fields = ("observer_id", "school_id", "held_on")
    person_columns = ("person",)
    spec = SheetSpec(
        "observations",
        "听课记录",
        (
            Column("person", "教研员身份证号", kind="id_number", required=True, width=22),
            SCHOOL,
            HELD_ON,
        ),
    )

    def row_values(self, row, ctx, bad):
        self.in_year(row, bad)
        observer, school = self.person(row, ctx, bad), self.school(row, ctx, bad)
        if None in (observer, school):
            return None
        return {"observer_id": observer, "school_id": school, "held_on": row.values["held_on"]}


@register
class LessonImporter(ActivityImporter):
    model = models.PublicLesson
    key_fields = ("teacher_id", "school_id", "held_on", "kind")
    person_columns = ("person",)
    spec = SheetSpec(
        "lessons",
        "公开课示范课",
        (
            Column("person", "授课教师身份证号", kind="id_number", required=True, width=22),
            SCHOOL,
            HELD_ON,
            Column("kind", "类型", kind="choice", choices=_choices(LessonKind), required=True),
            Column("topic", "课题", width=30),
        ),
    )

    def row_values(self, row, ctx, bad):
        self.in_year(row, bad)
        teacher, school = self.person(row, ctx, bad), self.school(row, ctx, bad)
        if None in (teacher, school) or not row.values.get("kind"):
            return None
        v = row.values
        return {
            "teacher_id": teacher,
            "school_id": school,
            "held_on": v["held_on"],
            "kind": v["kind"],
            "topic": v.get("topic") or "",
        }


@register
class TrainingImporter(ActivityImporter):
    model = models.Training
    key_fields = ("person_id", "held_on", "kind", "level")
    year_field = None
    person_columns = ("person",)
    spec = SheetSpec(
        "trainings",
        "培训记录",
        (
            PERSON,
            Column("level", "级别", kind="choice", choices=_choices(Level), required=True),
            Column("kind", "类型", kind="choice", choices=_choices(TrainingKind), required=True),
            Column("cycle", "培训周期", required=True, note="如 2023-2025"),
            HELD_ON,
            Column("title", "培训名称", width=30),
        ),
    )

    def row_values(self, row, ctx, bad):
        self.in_year(row, bad)
        person = self.person(row, ctx, bad)
        v = row.values
        if person is None or not v.get("level") or not v.get("kind"):
            return None
        return {
            "person_id": person,
            "level": v["level"],
            "kind": v["kind"],
            "cycle": v.get("cycle") or "",
            "held_on": v["held_on"],
            "title": v.get("title") or "",
        }


@register
class InternImporter(ActivityImporter):
    model = models.InternPlacement
    key_fields = ("school_id", "year", "name", "university")
    spec = SheetSpec(
        "interns",
        "实习支教",
        (
            SCHOOL,
            Column("name", "实习生姓名", required=True),
            Column("university", "所在高校", required=True, width=24),
            Column("started_on", "开始日期", kind="date", required=True),
            Column("ended_on", "结束日期", kind="date"),
        ),
    )

    def row_values(self, row, ctx, bad):
        self.in_year(row, bad, "started_on")
        v = row.values
        if v.get("ended_on") and v.get("started_on") and v["ended_on"] < v["started_on"]:
            bad("ended_on", "结束日期早于开始日期")
        school = self.school(row, ctx, bad)
        if school is None:
            return None
        return {
            "school_id": school,
            "name": v["name"],
            "university": v["university"],
            "started_on": v["started_on"],
            "ended_on": v.get("ended_on"),
        }


@register
class NominationImporter(ActivityImporter):
    model = models.Nomination
    key_fields = ("person_id", "programme", "level", "year")
    person_columns = ("person",)
    spec = SheetSpec(
        "nominations",
        "推荐遴选",
        (
            PERSON,
            Column(
                "programme",
                "计划",
                kind="choice",
                choices=_choices(Programme),
                required=True,
                width=28,
            ),
            Column("level", "级别", kind="choice", choices=_choices(Level), required=True),
            Column("cycle", "培养周期"),
        ),
    )

    def row_values(self, row, ctx, bad):
        person = self.person(row, ctx, bad)
        v = row.values
        if person is None or not v.get("programme") or not v.get("level"):
            return None
        return {
            "person_id": person,
            "programme": v["programme"],
            "level": v["level"],
            "cycle": v.get("cycle") or "",
        }


@register
class CourseImporter(ActivityImporter):
    model = models.FeatureCourse
    key_fields = ("school_id", "year", "name")
    spec = SheetSpec(
        "courses",
        "特色课程与社团",
        (
            SCHOOL,
            Column("name", "名称", required=True, width=24),
            Column("is_club", "社团", kind="bool"),
            Column("promoted", "遴选为特色精品课程", kind="bool"),
        ),
    )

    def row_values(self, row, ctx, bad):
        school = self.school(row, ctx, bad)
        if school is None:
            return None
        v = row.values
        return {
            "school_id": school,
            "name": v["name"],
            "is_club": bool(v.get("is_club")),
            "promoted": bool(v.get("promoted")),
        }


@register
class SchoolLinkImporter(ActivityImporter):
    model = models.SchoolLink
    key_fields = ("person_id", "school_id", "year")
    person_columns = ("person",)
    spec = SheetSpec(
        "school_links", "联系学校", (PERSON, Column("school", "联系学校代码", required=True))
    )

    def row_values(self, row, ctx, bad):
        person, school = self.person(row, ctx, bad), self.school(row, ctx, bad)
        if None in (person, school):
            return None
        return {"person_id": person, "school_id": school}


@register
class BaseImporter(ActivityImporter):
    model = models.UniversityBase
    key_fields = ("school_id", "partner", "kind")
    year_field = None
    spec = SheetSpec(
        "bases",
        "高校科研院所基地",
        (
            SCHOOL,
            Column("partner", "合作高校/院所", required=True, width=24),
            Column("kind", "类型", kind="choice", choices=_choices(BaseKind), required=True),
            Column(
                "founded_year",
                "设立年份",
                kind="int",
                required=True,
                min_value=1990,
                max_value=2100,
            ),
            Column("ended_year", "结束年份", kind="int", min_value=1990, max_value=2100),
        ),
    )

    def row_values(self, row, ctx, bad):
        school = self.school(row, ctx, bad)
        v = row.values
        if school is None or not v.get("kind"):
            return None
        return {
            "school_id": school,
            "partner": v["partner"],
            "kind": v["kind"],
            "founded_year": v.get("founded_year"),
            "ended_year": v.get("ended_year"),
        }


@register
class DistrictRoleImporter(ActivityImporter):
    model = models.DistrictRoleAssignment
    key_fields = ("school_district_id", "person_id", "role", "year")
    person_columns = ("person",)
    spec = SheetSpec(
        "district_roles",
        "学区职务",
        (
            Column("school_district", "学区名称", required=True, width=20),
            PERSON,
            Column("role", "职务", kind="choice", choices=_choices(DistrictRole), required=True),
        ),
    )

    def row_values(self, row, ctx, bad):
        districts = self.cached(
            ctx,
            "districts",
            lambda: {
                name: (pk, path)
                for name, pk, path in SchoolDistrict.objects.values_list("name", "pk", "town__path")
            },
        )
        v = row.values
        district, town_path = districts.get(v.get("school_district"), (None, None))
        if v.get("school_district") and district is None:
            bad("school_district", "学区名称不存在")
        elif district and not ctx["reach"].covers(town_path):
            bad("school_district", "无权导入该学区的数据（不在您的管辖范围内）")
            district = None
        person = self.person(row, ctx, bad)
        if None in (district, person) or not v.get("role"):
            return None
        return {"school_district_id": district, "person_id": person, "role": v["role"]}


@register
class StudioImporter(ActivityImporter):
    model = models.Studio
    key_fields = ("name",)
    year_field = None
    person_columns = ("host",)
    spec = SheetSpec(
        "studios",
        "名师工作室",
        (
            Column("name", "工作室名称", required=True, width=24),
            Column("host", "主持人身份证号", kind="id_number", required=True, width=22),
            Column("level", "级别", kind="choice", choices=_choices(Level), required=True),
            Column("town", "所在镇街代码", required=True),
            Column("school", "依托学校代码"),
            Column(
                "founded_year",
                "设立年份",
                kind="int",
                required=True,
                min_value=1990,
                max_value=2100,
            ),
            Column("closed_year", "撤销年份", kind="int", min_value=1990, max_value=2100),
        ),
    )

    def row_values(self, row, ctx, bad):
        v = row.values
        town = self.town(row, ctx, bad)
        host = self.person(row, ctx, bad, "host")
        school = self.school(row, ctx, bad)
        if None in (town, host) or not v.get("level"):
            return None
        if not self._name_free(ctx, v["name"]):
            bad("name", "同名工作室已由其他单位登记，请联系区教体局")
            return None
        return {
            "name": v["name"],
            "host_id": host,
            "level": v["level"],
            "town_id": town,
            "school_id": school,
            "founded_year": v.get("founded_year"),
            "closed_year": v.get("closed_year"),
        }

    def _name_free(self, ctx, name: str) -> bool:
        """A studio of that name on file may be changed only by someone who reaches it."""
        studios = self.cached(
            ctx,
            "studios",
            lambda: {
                n: (town, school)
                for n, town, school in models.Studio.objects.values_list(
                    "name", "town__path", "school__org_unit__path"
                )
            },
        )
        if name not in studios:
            return True
        town, school = studios[name]
        return ctx["reach"].covers(town) and (school is None or ctx["reach"].covers(school))


@register
class PilotImporter(ActivityImporter):
    model = models.TownPilot
    key_fields = ("town_id", "level")
    year_field = None
    spec = SheetSpec(
        "pilots",
        "强镇筑基试点",
        (
            Column("town", "镇代码", required=True),
            Column("level", "级别", kind="choice", choices=_choices(PilotLevel), required=True),
            Column(
                "started_year",
                "开始年份",
                kind="int",
                required=True,
                min_value=2000,
                max_value=2100,
            ),
        ),
    )

    def row_values(self, row, ctx, bad):
        v = row.values
        town = self.town(row, ctx, bad)
        if town is None or not v.get("level"):
            return None
        return {"town_id": town, "level": v["level"], "started_year": v.get("started_year")}


@register
class TripParticipantImporter(ActivityImporter):
    """进城研学: one row per participating student; the trip is (school, date, title)."""

    model = models.CityTrip
    key_fields = ("school_id", "held_on", "title")
    spec = SheetSpec(
        "trips",
        "进城研学",
        (
            SCHOOL,
            HELD_ON,
            Column("title", "活动名称", required=True, width=24),
            Column("student", "学生证件号码", kind="id_number", required=True, width=22),
        ),
    )

    def validate(self, rows, *, year, user):
        self._rows = rows
        self.current_year = year
        errors = []
        ctx = self.context(user)
        students = self._students(rows, year)
        sink = ErrorSink(self.spec, errors)
        for row in rows:
            bad = sink.at(row)
            self.in_year(row, bad)
            school = self.school(row, ctx, bad)
            number = crypto.normalise_id(row.values.get("student") or "")
            if number and (
                problem := id_problem(number, "student_no" if number[0] in "GJL" else "ric")
            ):
                bad("student", problem)
            elif number and school and students.get(number, (None, None))[1] != school:
                # the same answer whether the pupil is unknown or at another school
                bad("student", "该学生不在该校本学年学生名册中")
        return errors

    def write(self, rows, *, year, user):
        from ruraledu.spreadsheets.base import ImportResult

        self._rows, self.current_year = rows, year
        ctx = self.context(user)
        students = self._students(rows, year)
        result = ImportResult()
        trips: dict[tuple, set[int]] = {}
        for row in rows:
            v = row.values
            key = (ctx["schools"].get(v["school"]).pk, v["held_on"], v["title"])
            trips.setdefault(key, set()).add(students[crypto.normalise_id(v["student"])][0])
        entries = []
        for (school, held_on, title), participants in trips.items():
            trip, made = models.CityTrip.objects.get_or_create(
                school_id=school, held_on=held_on, title=title
            )
            if made:
                entries.append(entry_of_write(trip, True, {}))
            before = set(trip.participants.values_list("pk", flat=True))
            if added := participants - before:
                trip.participants.add(*added)
                entries.append(
                    AuditEntry.of(
                        trip,
                        AuditAction.UPDATE,
                        before={"participants": sorted(before)},
                        after={"participants": sorted(before | added)},
                    )
                )
            result.created += len(added)
            result.unchanged += len(participants & before)
        audit_bulk(actor=user, summary=f"导入{self.spec.title}", entries=entries)
        return result

    @staticmethod
    def _students(rows, year: int) -> dict[str, tuple[int, int | None]]:
        """ID number -> (person pk, school pk of the person's enrolment in `year`)."""
        found = pks_by_id_number(StudentPerson, (r.values.get("student") for r in rows))
        school_of = dict(
            select_in(
                Enrolment,
                ("person", "school"),
                "person",
                sorted(found.values()),
                "AND year = %s",
                [year],
            )
        )
        return {number: (pk, school_of.get(pk)) for number, pk in found.items()}
