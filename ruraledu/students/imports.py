"""学生名册: StudentPerson + Enrolment, upserted by ID number (blind index) and school year."""

from functools import partial

from django.db.models import Q

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.personal_access import ACCESS_SUBJECT, student_subject
from ruraledu.audit.services import audit_bulk
from ruraledu.core import crypto
from ruraledu.core.idnumbers import birth_date_from_id
from ruraledu.core.models import Sex
from ruraledu.core.templatetags.privacy import person_name
from ruraledu.orgunits.lookups import SchoolLookup, VillageLookup
from ruraledu.spreadsheets.base import (
    CellError,
    Column,
    ErrorSink,
    Importer,
    ImportResult,
    SheetSpec,
    absent,
    at_school,
    column,
    register,
)
from ruraledu.spreadsheets.importing import (
    STUDENT_ELSEWHERE,
    DuplicateTracker,
    PeopleUpsert,
    db_decimal,
    id_problem,
    last_places,
    pks_by_id_number,
    places_of,
    write_year_rows,
)
from ruraledu.spreadsheets.staging import select_in
from ruraledu.workforce.lookups import staff_in_reach
from ruraledu.workforce.models import StaffPerson

from .choices import FamilyStatus, IdKind, Placement, Transport
from .models import Enrolment, StudentPerson
from .privacy import withhold_categories
from .rules import DISTANCE_MAX, DISTANCE_MIN, enrolment_problems


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
        Column(
            "distance_km",
            "家校距离（公里）",
            kind="decimal",
            min_value=DISTANCE_MIN,
            max_value=DISTANCE_MAX,
        ),
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
        _flag("nearby_admission", "就近划片入学"),
        _flag("migrant", "随迁子女"),
    ),
)

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
    "nearby_admission",
    "migrant",
)
ENROLMENT_FIELDS = (
    "school",
    "campus",
    "grade",
    "class_name",
    "distance_km",
    "transport",
    "placement",
    "family_status",
    "mentor",
    *FLAGS,
)
PERSON_FIELDS = ("name", "sex", "birth_date", "id_kind", "village")
DISTANCE = ENROLMENT_FIELDS.index("distance_km")


def _kind_problem(number: str, kind: str) -> str | None:
    """The reader accepted a resident ID or a 学籍号; the row's 证件类型 must say which."""
    is_student_no = len(number) == 19
    if kind == IdKind.STUDENT_NO and not is_student_no:
        return "证件类型为全国学籍号，号码应为 G、J 或 L 加 18 位身份证号"
    if kind != IdKind.STUDENT_NO and is_student_no:
        return "该号码是全国学籍号，请将证件类型选为“全国学籍号”"
    return None


@register
class StudentImporter(Importer):
    spec = SPEC

    def validate(self, rows, *, year, user):
        errors: list[CellError] = []
        schools = SchoolLookup(user)
        villages = VillageLookup(user)
        seen = DuplicateTracker()
        mentors = {}  # row -> its mentor's ID number
        col = partial(column, rows)
        cells = zip(
            rows,
            col("id_number"),
            col("id_kind"),
            col("birth_date"),
            col("school"),
            col("campus"),
            col("grade"),
            col("village"),
            col("placement"),
            col("disability"),
            col("lunch_needed"),
            col("lunch_served"),
            col("mentor"),
            strict=True,
        )
        checked = {}  # school code -> (problem, school): a roster repeats few codes

        bad = ErrorSink(SPEC, errors).bad

        for row, number, kind, birth, code, campus, grade, village, *flags_and_mentor in cells:
            placement, disability, lunch_needed, lunch_served, mentor = flags_and_mentor
            # Cells were parsed already: an ID number here passed GB 11643 in one of its forms.
            if number:
                if problem := _kind_problem(number, kind or IdKind.RESIDENT_ID):
                    bad(row, "id_kind", problem)
                elif problem := seen.problem(number, row.number):
                    bad(row, "id_number", f"同一学生在文件中出现两次（{problem}）")
                elif birth and birth != birth_date_from_id(number):
                    bad(row, "birth_date", "出生日期与证件号不符")
            school = stage = name = None
            if code:
                if code not in checked:
                    checked[code] = (schools.problem(code), schools.by_code.get(code))
                problem, school = checked[code]
                if problem:
                    bad(row, "school", problem)
                    school = None
                elif school.is_campus:
                    bad(row, "school", "此处应填学校（法人）代码，校区请填在“校区代码”列")
                else:
                    stage, name = school.stage, school.name
            if campus and school:
                ref = schools.by_code.get(campus)
                if ref is None or not ref.is_campus or ref.parent_pk != school.pk:
                    bad(row, "campus", "校区代码不存在或不属于该学校")
            if village and (problem := villages.problem(village)):
                bad(row, "village", problem)
            flags = {
                "grade": grade,
                "placement": placement,
                "disability": disability,
                "lunch_needed": lunch_needed,
                "lunch_served": lunch_served,
            }
            for field, message in enrolment_problems(flags, stage, name or ""):
                bad(row, field, message)
            if mentor:
                if problem := id_problem(mentor):
                    bad(row, "mentor", problem)
                else:
                    mentors[row] = mentor
        # SQLite would keep a longer text and PostgreSQL refuse the whole write: say so here
        for key, model in (("name", StudentPerson), ("class_name", Enrolment)):
            limit = model._meta.get_field(key).max_length
            for row, text in zip(rows, col(key), strict=True):
                if text and len(text) > limit:
                    bad(row, key, f"不能超过 {limit} 个字")
        reach = Reach(user, Action.CHANGE)
        # the same answer whether a number is unknown or kept by a school out of reach
        known = staff_in_reach(mentors.values(), reach, year)
        unknown = (
            "该成长导师不在教职工名册中"
            if reach.whole_tree
            else "该成长导师不在您管辖学校本学年的教职工名册中"
        )
        for row, mentor in mentors.items():
            if mentor not in known:
                bad(row, "mentor", unknown)
        if not reach.whole_tree:
            for row, key, message in _held_elsewhere(rows, reach, year):
                bad(row, key, message)
        return errors

    def write(self, rows, *, year, user):
        # Column by column: a 100,000-row roster must not pay a Python step per cell.
        col = partial(column, rows)
        school_pk = {code: ref.pk for code, ref in SchoolLookup(user).by_code.items()}
        optional_school = {None: None, **school_pk}
        village_pk = {None: None, **VillageLookup(user).by_code}
        numbers = col("id_number")
        keys = crypto.blind_indexes(numbers)
        births = [
            b or birth_date_from_id(n) for b, n in zip(col("birth_date"), numbers, strict=True)
        ]
        person_values = zip(
            col("name"),
            col("sex"),
            births,
            [kind or IdKind.RESIDENT_ID for kind in col("id_kind")],
            map(village_pk.__getitem__, col("village")),
            strict=True,
        )
        lacking = absent(rows)
        people = PeopleUpsert(
            StudentPerson,
            PERSON_FIELDS,
            dict(zip(keys, zip(numbers, person_values, strict=True), strict=True)),
            absent=lacking,
        )
        stored = self._stored(year, people.existing)
        people.write()
        mentor_pk = {None: None, **pks_by_id_number(StaffPerson, col("mentor"))}
        wanted = dict(
            zip(
                zip(map(people.pks.__getitem__, keys)),  # keys of one field: (person,)
                zip(
                    map(school_pk.__getitem__, col("school")),
                    map(optional_school.__getitem__, col("campus")),
                    col("grade"),
                    [name or "" for name in col("class_name")],
                    map(db_decimal, col("distance_km")),
                    [way or Transport.NONE for way in col("transport")],
                    [placement or "" for placement in col("placement")],
                    [status or "" for status in col("family_status")],
                    map(mentor_pk.__getitem__, col("mentor")),
                    *(map(bool, col(flag)) for flag in FLAGS),
                    strict=True,
                ),
                strict=True,
            )
        )
        # Changed records keep their before and after in the audit trail, one row each; the
        # new ones (up to 200,000) are listed by id in the import's own audit row.
        result = ImportResult(created_ids={StudentPerson._meta.label: people.created})
        changes = write_year_rows(
            Enrolment,
            ("person",),
            ENROLMENT_FIELDS,
            year,
            stored,
            wanted,
            result,
            lacking,
            people.wiped,
        )
        audit_bulk(
            actor=user,
            summary=f"导入学生名册（{year}学年）",
            entries=people.audit_entries() + changes,
        )
        if people.changed:
            result.messages.append(f"更新了 {len(people.changed)} 名学生的基本信息")
        if cleared := _cleared_flags(changes):
            result.messages.append(
                f"按表中留空或填“否”的单元格，取消了 {cleared}。如非本意，请补填后重新导入"
            )
        return result

    @staticmethod
    def _stored(year: int, persons) -> dict[tuple[int], tuple[int, tuple]]:
        """(person,) -> (enrolment pk, stored values) this year, for persons on file."""
        stored = {}
        for pk, person, *values in select_in(
            Enrolment,
            ("pk", "person", *ENROLMENT_FIELDS),
            "person",
            sorted(persons),
            "AND year = %s",
            [year],
        ):
            values[DISTANCE] = db_decimal(values[DISTANCE])
            stored[(person,)] = (pk, tuple(values))
        return stored

    def export_rows(self, *, year, user, school=None):
        # Plain values, not model instances: a district's 70,000 rows would spend a third
        # of the export building objects.
        personal = Reach(user, Action.VIEW_PERSONAL)
        fields = (
            "person_id",
            "person__id_kind",
            "person__id_cipher",
            "person__id_hint",
            "person__name",
            "person__sex",
            "person__birth_date",
            "person__village__code",
            "school__org_unit__path",
            "school__org_unit__code",
            "campus__org_unit__code",
            "mentor__id_cipher",
            "mentor__id_hint",
            *EXPORTED,
        )
        queryset = (
            at_school(Enrolment.objects.for_user(user), school)
            .filter(year=year)
            .order_by("school__org_unit__path", "grade", "class_name", "pk")
            .values_list(*fields)
        )
        for (
            person,
            kind,
            cipher,
            hint,
            name,
            sex,
            birth,
            village,
            path,
            code,
            campus,
            *rest,
        ) in queryset.iterator(chunk_size=2000):
            mentor_cipher, mentor_hint, *values = rest
            clear = personal.covers(path)
            yield {
                "id_kind": kind,
                "id_number": crypto.decrypt(cipher) if clear else crypto.masked(hint),
                # masked like the roster page for roles that may not see the child in full
                "name": person_name(name, clear),
                "sex": sex,
                # the date is the masked middle of the ID number: shown only with it in full
                "birth_date": birth if clear else None,
                "village": village or "",
                "school": code,
                "campus": campus or "",
                "mentor": _mentor_id(mentor_cipher, mentor_hint, clear),
                # 留守、残疾 … left blank where the name is masked
                **withhold_categories(dict(zip(EXPORTED, values, strict=True)), clear),
                # a name in full in the file is a read of the child: logged
                ACCESS_SUBJECT: student_subject(person) if clear else None,
            }


# exported as stored; the school, campus and mentor go out by code or (masked) ID number
EXPORTED = tuple(f for f in ENROLMENT_FIELDS if f not in ("school", "campus", "mentor"))


def _mentor_id(cipher, hint: str | None, clear: bool) -> str:
    if cipher is None:
        return ""
    return crypto.decrypt(cipher) if clear else crypto.masked(hint)


def _cleared_flags(changes) -> str:
    """The flags (留守儿童, 残疾 …) this import turned off, counted in words: a blank cell
    clears a flag, and a clerk uploading only some columns must see what that took away."""
    counts = {
        flag: sum(1 for e in changes if e.before[flag] and not e.after[flag]) for flag in FLAGS
    }
    return "、".join(
        f"{n} 名学生的“{SPEC.column(flag).header}”标记" for flag, n in counts.items() if n
    )


def _held_elsewhere(rows, reach: Reach, year: int) -> list[tuple]:
    """(row, column, message) for rows naming a pupil held by a school outside `reach`:
    enrolled there this year (refused: a move goes through 学生转学), or last enrolled there
    (they may be enrolled here in a new year, but who they are must match what is stored)."""
    numbers = [crypto.normalise_id(n) if n else None for n in column(rows, "id_number")]
    found = pks_by_id_number(StudentPerson, numbers)
    now = places_of(Enrolment, found.values(), year)
    before = last_places(Enrolment, set(found.values()) - set(now), year)
    held = [pk for pk, paths in before.items() if not reach.covers_all(paths)]
    stored = {
        pk: values
        for pk, *values in StudentPerson.objects.filter(pk__in=held).values_list(
            "pk", *PERSON_FIELDS[:-1], "village__code"
        )
    }
    problems = []
    for row, number in zip(rows, numbers, strict=True):
        pk = found.get(number)
        if pk is None:
            continue
        if not reach.covers_all(now.get(pk, ())):
            problems.append((row, "id_number", STUDENT_ELSEWHERE))
        elif pk in stored:
            v = row.values
            given = (
                v["name"],
                v["sex"],
                v.get("birth_date") or birth_date_from_id(number),
                v.get("id_kind") or IdKind.RESIDENT_ID,
                v.get("village"),
            )
            differ = [
                SPEC.column(key).header
                for key, new, old in zip(PERSON_FIELDS, given, stored[pk], strict=True)
                if new != old
            ]
            if differ:
                problems.append((row, "name", HELD_ELSEWHERE.format("、".join(differ))))
    return problems


HELD_ELSEWHERE = "该学生由其他学校登记，{}与原登记不一致；学生基本信息须由原学校或区教体局修改"


def enrolment_search(queryset, text: str):
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(Q(person__name__contains=text) | Q(class_name__contains=text))
