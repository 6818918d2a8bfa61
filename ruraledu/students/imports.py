"""学生名册: StudentPerson + Enrolment, upserted by ID number (blind index) and school year."""

from django.db import connection
from django.db.models import Q

from ruraledu.audit.services import AuditEntry, audit_bulk
from ruraledu.core import crypto
from ruraledu.core.bulk import chunked, insert_rows, select_in, update_rows
from ruraledu.core.idnumbers import birth_date_from_id
from ruraledu.core.importing import (
    DuplicateTracker,
    can_view_personal,
    db_date,
    db_decimal,
    id_problem,
    upsert_people,
)
from ruraledu.core.models import Sex
from ruraledu.orgunits.choices import GRADE_RANGES
from ruraledu.orgunits.lookups import SchoolLookup, VillageLookup
from ruraledu.spreadsheets.base import (
    CellError,
    Column,
    Importer,
    ImportResult,
    SheetSpec,
    register,
)
from ruraledu.workforce.models import StaffPerson

from .choices import FamilyStatus, IdKind, Placement, Transport
from .models import Enrolment, StudentPerson


def _flag(key: str, header: str) -> Column:
    return Column(key, header, kind="bool", width=10)


SPEC = SheetSpec(
    kind="students",
    title="学生名册",
    columns=(
        Column(
            "id_kind",
            "证件类型",
            kind="choice",
            choices=tuple(IdKind.choices),
            note="留空为居民身份证号",
        ),
        Column("id_number", "证件号码", kind="id_number", required=True, width=22),
        Column("name", "姓名", required=True),
        Column("sex", "性别", kind="choice", choices=tuple(Sex.choices), required=True, width=8),
        Column("birth_date", "出生日期", kind="date", note="留空则取自证件号"),
        Column("village", "户籍村居代码"),
        Column("school", "学校代码", required=True),
        Column("campus", "校区代码", note="在分校区、教学点就读时填写"),
        Column("grade", "年级", kind="int", required=True, min_value=1, max_value=12, width=8),
        Column("class_name", "班级"),
        _flag("boarding", "住校"),
        Column("distance_km", "家校距离（公里）", kind="decimal", min_value=0, max_value=200),
        Column("transport", "上下学交通", kind="choice", choices=tuple(Transport.choices)),
        _flag("lunch_needed", "在校午餐需求"),
        _flag("lunch_served", "午餐已保障"),
        _flag("left_behind", "留守儿童"),
        _flag("disability", "残疾"),
        Column("placement", "安置方式", kind="choice", choices=tuple(Placement.choices)),
        _flag("orphan", "孤儿"),
        _flag("unattended", "事实无人抚养"),
        _flag("hardship", "困境儿童"),
        Column("family_status", "脱贫/监测户", kind="choice", choices=tuple(FamilyStatus.choices)),
        _flag("struggling", "学困生"),
        _flag("aid_received", "已获资助"),
        Column("mentor", "成长导师证件号", kind="id_number", width=22),
    ),
)

ENROLMENT_FIELDS = (
    "school",
    "campus",
    "grade",
    "class_name",
    "boarding",
    "distance_km",
    "transport",
    "lunch_needed",
    "lunch_served",
    "left_behind",
    "disability",
    "placement",
    "orphan",
    "unattended",
    "hardship",
    "family_status",
    "struggling",
    "aid_received",
    "mentor",
)
DISTANCE = ENROLMENT_FIELDS.index("distance_km")
FLAGS = (
    "boarding",
    "lunch_needed",
    "lunch_served",
    "left_behind",
    "disability",
    "orphan",
    "unattended",
    "hardship",
    "struggling",
    "aid_received",
)


def _enrolment_values(v: dict, schools: SchoolLookup, mentors: dict) -> tuple:
    """The enrolment's column values in ENROLMENT_FIELDS order, as stored."""
    values = {f: bool(v.get(f)) for f in FLAGS}
    mentor = v.get("mentor")
    values.update(
        school=schools.get(v["school"]).pk,
        campus=schools.get(v["campus"]).pk if v.get("campus") else None,
        grade=v["grade"],
        class_name=v.get("class_name") or "",
        distance_km=db_decimal(v.get("distance_km")),
        transport=v.get("transport") or Transport.NONE,
        placement=v.get("placement") or "",
        family_status=v.get("family_status") or "",
        mentor=mentors.get(crypto.blind_index(crypto.normalise_id(mentor))) if mentor else None,
    )
    return tuple(values[f] for f in ENROLMENT_FIELDS)


def _updates_by_person(wanted: dict, stored: dict):
    """(person, new values + enrolment pk) for every enrolment whose values changed."""
    for person, values in wanted.items():
        if person in stored and stored[person][1] != values:
            yield person, (*values, stored[person][0])


@register
class StudentImporter(Importer):
    spec = SPEC

    def validate(self, rows, *, year, user):
        errors: list[CellError] = []
        sheet = SPEC.title
        schools = SchoolLookup(user)
        villages = VillageLookup(user)
        seen = DuplicateTracker()
        mentor_keys = {}
        for row in rows:
            v, n = row.values, row.number

            def bad(key, message, v=v, n=n, row=row):
                errors.append(
                    CellError(sheet, n, SPEC.column(key).header, row.raw.get(key, ""), message)
                )

            kind = v.get("id_kind") or IdKind.RESIDENT_ID
            number = crypto.normalise_id(v.get("id_number") or "")
            if number:
                if problem := id_problem(number, kind):
                    bad("id_number", problem)
                elif problem := seen.problem(number, n):
                    bad("id_number", f"同一学生在文件中出现两次（{problem}）")
                elif v.get("birth_date") and v["birth_date"] != birth_date_from_id(number):
                    bad("birth_date", "出生日期与证件号不符")
            school = None
            if code := v.get("school"):
                if problem := schools.problem(code):
                    bad("school", problem)
                else:
                    school = schools.get(code)
                    if school.is_campus:
                        bad("school", "此处应填学校（法人）代码，校区请填在“校区代码”列")
                    elif v.get("grade") and v["grade"] not in GRADE_RANGES.get(
                        school.stage, range(0)
                    ):
                        bad("grade", f"{v['grade']} 年级与学校类型不符（{school.name}）")
            if (campus := v.get("campus")) and school:
                ref = schools.by_code.get(campus)
                if ref is None or not ref.is_campus or ref.parent_pk != school.pk:
                    bad("campus", "校区代码不存在或不属于该学校")
            if (village := v.get("village")) and (problem := villages.problem(village)):
                bad("village", problem)
            if v.get("placement") and not v.get("disability"):
                bad("placement", "只有残疾学生才填写安置方式")
            if v.get("lunch_served") and not v.get("lunch_needed"):
                bad("lunch_served", "无午餐需求的学生不应标记为午餐已保障")
            if mentor := v.get("mentor"):
                mentor = crypto.normalise_id(mentor)
                if problem := id_problem(mentor):
                    bad("mentor", problem)
                else:
                    mentor_keys[n] = crypto.blind_index(mentor)
        known = set()
        keys = sorted(set(mentor_keys.values()))
        for chunk in chunked(keys):
            known.update(
                StaffPerson.objects.filter(id_index__in=chunk).values_list("id_index", flat=True)
            )
        for row in rows:
            if row.number in mentor_keys and mentor_keys[row.number] not in known:
                errors.append(
                    CellError(
                        sheet,
                        row.number,
                        "成长导师证件号",
                        row.raw.get("mentor", ""),
                        "该成长导师不在教职工名册中",
                    )
                )
        return errors

    def write(self, rows, *, year, user):
        schools = SchoolLookup(user)
        villages = VillageLookup(user)
        mentors = {}
        persons = {}
        index_of = {}  # row number -> blind index, computed once
        dates_as_text = connection.vendor == "sqlite"
        for row in rows:
            v = row.values
            number = crypto.normalise_id(v["id_number"])
            key = index_of[row.number] = crypto.blind_index(number)
            persons[key] = (
                number,
                {
                    "name": v["name"],
                    "sex": v["sex"],
                    "birth_date": db_date(
                        v.get("birth_date") or birth_date_from_id(number), text=dates_as_text
                    ),
                    "id_kind": v.get("id_kind") or IdKind.RESIDENT_ID,
                    "village": villages.by_code.get(v.get("village")) if v.get("village") else None,
                },
            )
            if v.get("mentor"):
                mentors[crypto.blind_index(crypto.normalise_id(v["mentor"]))] = None
        for chunk in chunked(list(mentors)):
            mentors.update(
                StaffPerson.objects.filter(id_index__in=chunk).values_list("id_index", "pk")
            )

        person_pk, changed_people = upsert_people(StudentPerson, persons)

        wanted = {}
        for row in rows:
            wanted[person_pk[index_of[row.number]]] = _enrolment_values(
                row.values, schools, mentors
            )
        stored = {}
        raw = select_in(
            Enrolment,
            ("pk", "person", *ENROLMENT_FIELDS),
            "person",
            list(wanted),
            "AND year = %s",
            [year],
        )
        for pk, person, *values in raw:
            values[DISTANCE] = db_decimal(values[DISTANCE])
            stored[person] = (pk, tuple(values))
        result = ImportResult()
        to_insert, to_update = [], []
        for person, values in wanted.items():
            if person not in stored:
                to_insert.append((person, year, *values))
            elif stored[person][1] != values:
                to_update.append((*values, stored[person][0]))
            else:
                result.unchanged += 1
        result.created = insert_rows(Enrolment, ("person", "year", *ENROLMENT_FIELDS), to_insert)
        result.updated = update_rows(Enrolment, ENROLMENT_FIELDS, to_update)
        # changed records keep their before/after in the audit trail (new ones are covered by
        # the import's own audit row and job)
        audit_bulk(
            actor=user,
            summary=f"导入学生名册（{year}学年）",
            entries=(
                AuditEntry(
                    model=Enrolment,
                    object_id=values[-1],
                    action="update",
                    before=dict(zip(ENROLMENT_FIELDS, stored[person][1], strict=True)),
                    after=dict(zip(ENROLMENT_FIELDS, values[:-1], strict=True)),
                )
                for person, values in ((p, v) for p, v in _updates_by_person(wanted, stored))
            ),
        )
        if changed_people:
            result.messages.append(f"更新了 {changed_people} 名学生的基本信息")
        return result

    def export_rows(self, *, year, user):
        clear = can_view_personal(user)
        queryset = (
            Enrolment.objects.for_user(user)
            .filter(year=year)
            .select_related(
                "person", "school__org_unit", "campus__org_unit", "person__village", "mentor"
            )
            .order_by("school__org_unit__path", "grade", "class_name", "pk")
        )
        for e in queryset.iterator(chunk_size=2000):
            p = e.person
            yield {
                "id_kind": p.id_kind,
                "id_number": p.id_number() if clear else p.masked_id,
                "name": p.name,
                "sex": p.sex,
                "birth_date": p.birth_date,
                "village": p.village.code if p.village else "",
                "school": e.school.org_unit.code,
                "campus": e.campus.org_unit.code if e.campus else "",
                "grade": e.grade,
                "class_name": e.class_name,
                "distance_km": e.distance_km,
                "transport": e.transport,
                "placement": e.placement,
                "family_status": e.family_status,
                "mentor": (e.mentor.id_number() if clear else e.mentor.masked_id)
                if e.mentor
                else "",
                **{f: getattr(e, f) for f in FLAGS},
            }


def enrolment_search(queryset, text: str):
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(Q(person__name__contains=text) | Q(class_name__contains=text))
