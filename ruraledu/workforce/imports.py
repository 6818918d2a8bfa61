"""教职工名册: StaffPerson + Post, upserted by ID number, school and school year."""

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.services import audit_bulk
from ruraledu.core import crypto
from ruraledu.core.bulk import chunked
from ruraledu.core.idnumbers import birth_date_from_id
from ruraledu.core.models import Sex
from ruraledu.orgunits.lookups import SchoolLookup
from ruraledu.spreadsheets.base import (
    CellError,
    Column,
    ErrorSink,
    Importer,
    ImportResult,
    SheetSpec,
    absent,
    at_school,
    register,
)
from ruraledu.spreadsheets.importing import (
    STAFF_ELSEWHERE,
    DuplicateTracker,
    PeopleUpsert,
    id_problem,
    last_places,
    pks_by_id_number,
    places_of,
    write_year_rows,
)

from .choices import BackboneLevel, Degree, Honour, Position, Subject, Title
from .models import Post, StaffPerson


def _flag(key: str, header: str) -> Column:
    return Column(key, header, kind="bool", width=10)


SPEC = SheetSpec(
    kind="staff",
    title="教职工名册",
    columns=(
        Column("id_number", "身份证号", kind="id_number", required=True, width=22),
        Column("name", "姓名", required=True),
        Column("sex", "性别", kind="choice", choices=tuple(Sex.choices), required=True, width=8),
        Column("birth_date", "出生日期", kind="date", note="留空则取自身份证号"),
        Column("school", "任职学校代码", required=True, note="一人在两校任职填两行"),
        Column("position", "岗位", kind="choice", choices=tuple(Position.choices), required=True),
        _flag("is_establishment", "在编"),
        _flag("is_full_time_teacher", "专任教师"),
        Column("subject", "任教学科", kind="choice", choices=tuple(Subject.choices)),
        Column("degree", "最高学历", kind="choice", choices=tuple(Degree.choices), required=True),
        Column("title", "职称", kind="choice", choices=tuple(Title.choices)),
        Column("honour", "称号", kind="choice", choices=tuple(Honour.choices)),
        Column("honour_level", "称号级别", kind="choice", choices=tuple(BackboneLevel.choices)),
        _flag("is_researcher", "教研员"),
        Column("hired_year", "入职年份", kind="int", min_value=1950, max_value=2100),
        _flag("bound_appointment", "城乡聘期捆绑"),
        _flag("peripatetic", "学区走教"),
        _flag("needs_dormitory", "需要周转宿舍"),
        _flag("has_dormitory", "已有周转宿舍"),
        _flag("health_check", "本年度已健康体检"),
        _flag("town_allowance_eligible", "符合乡镇工作补贴条件"),
        _flag("town_allowance_received", "已发放乡镇工作补贴"),
        _flag("has_certificate", "持有教师资格证"),
        Column("training_hours_5y", "近五年培训学时", kind="int", min_value=0, max_value=5000),
        _flag("rotated", "本学年交流轮岗到岗"),
    ),
)

FLAGS = (
    "is_establishment",
    "is_full_time_teacher",
    "is_researcher",
    "bound_appointment",
    "peripatetic",
    "needs_dormitory",
    "has_dormitory",
    "health_check",
    "town_allowance_eligible",
    "town_allowance_received",
    "has_certificate",
    "rotated",
)
POST_FIELDS = (
    "position",
    "subject",
    "degree",
    "title",
    "honour",
    "honour_level",
    "hired_year",
    "training_hours_5y",
    *FLAGS,
)


def _post_values(v: dict) -> tuple:
    values = {f: bool(v.get(f)) for f in FLAGS}
    values.update(
        position=v["position"],
        subject=v.get("subject") or "",
        degree=v["degree"],
        title=v.get("title") or Title.NONE,
        honour=v.get("honour") or "",
        honour_level=v.get("honour_level") or "",
        hired_year=v.get("hired_year"),
        training_hours_5y=v.get("training_hours_5y") or 0,
    )
    return tuple(values[f] for f in POST_FIELDS)


@register
class StaffImporter(Importer):
    spec = SPEC

    def validate(self, rows, *, year, user):
        errors: list[CellError] = []
        sink = ErrorSink(SPEC, errors)
        schools = SchoolLookup(user)
        seen = DuplicateTracker()
        for row in rows:
            v = row.values
            bad = sink.at(row)
            number = crypto.normalise_id(v.get("id_number") or "")
            if number and (problem := id_problem(number)):
                bad("id_number", problem)
            elif number and v.get("birth_date") and v["birth_date"] != birth_date_from_id(number):
                bad("birth_date", "出生日期与身份证号不符")
            if (code := v.get("school")) and (problem := schools.problem(code)):
                bad("school", problem)
            elif number and code and (problem := seen.problem((number, code), row.number)):
                bad("school", f"同一人在同一学校重复出现（{problem}）")
            if v.get("honour_level") and not v.get("honour"):
                bad("honour_level", "填写称号级别时须同时填写称号")
            if v.get("has_dormitory") and not v.get("needs_dormitory"):
                bad("has_dormitory", "不需要周转宿舍的教师不应标记为已有周转宿舍")
            if v.get("town_allowance_received") and not v.get("town_allowance_eligible"):
                bad("town_allowance_received", "不符合条件的教师不应标记为已发放乡镇工作补贴")
        reach = Reach(user, Action.CHANGE)
        if not reach.whole_tree:
            errors += _placed_elsewhere(rows, reach, year)
        return errors

    def write(self, rows, *, year, user):
        schools = SchoolLookup(user)
        numbers = [row.values["id_number"] for row in rows]
        keys = crypto.blind_indexes(numbers)
        people = {
            key: (
                number,
                (
                    row.values["name"],
                    row.values["sex"],
                    row.values.get("birth_date") or birth_date_from_id(number),
                ),
            )
            for key, number, row in zip(keys, numbers, rows, strict=True)
        }
        lacking = absent(rows)
        people = PeopleUpsert(StaffPerson, ("name", "sex", "birth_date"), people, absent=lacking)
        people.write()
        stored = {}
        for chunk in chunked(sorted(people.existing)):
            for pk, person, school, *values in Post.objects.filter(
                year=year, person_id__in=chunk
            ).values_list("pk", "person", "school", *POST_FIELDS):
                stored[(person, school)] = (pk, tuple(values))
        wanted = {
            (people.pks[key], schools.get(row.values["school"]).pk): _post_values(row.values)
            for key, row in zip(keys, rows, strict=True)
        }
        # as for the student roster: changes one audit row each, new records by id
        result = ImportResult(created_ids={StaffPerson._meta.label: people.created})
        changes = write_year_rows(
            Post,
            ("person", "school"),
            POST_FIELDS,
            year,
            stored,
            wanted,
            result,
            lacking,
            people.wiped,
        )
        audit_bulk(
            actor=user,
            summary=f"导入教职工名册（{year}学年）",
            entries=people.audit_entries() + changes,
        )
        if people.changed:
            result.messages.append(f"更新了 {len(people.changed)} 名教职工的基本信息")
        return result

    def export_rows(self, *, year, user, school=None):
        personal = Reach(user, Action.VIEW_PERSONAL)
        posts = (
            at_school(Post.objects.for_user(user), school)
            .filter(year=year)
            .select_related("person", "school__org_unit")
            .order_by("school__org_unit__path", "position", "pk")
        )
        for post in posts.iterator(chunk_size=2000):
            p = post.person
            clear = personal.covers(post.school.org_unit.path)
            yield {
                "id_number": p.id_number() if clear else p.masked_id,
                "name": p.name,
                "sex": p.sex,
                # the date is the masked middle of the ID number: shown only with it in full
                "birth_date": p.birth_date if clear else None,
                "school": post.school.org_unit.code,
                **{f: getattr(post, f) for f in POST_FIELDS},
            }


def _placed_elsewhere(rows, reach: Reach, year: int) -> list[CellError]:
    """Rows naming someone posted this year at a school outside `reach`. A person who also
    holds a post in reach (走教, two schools) may get a post row, but their name, sex and
    birth date are then the bureau's to change; so are those of someone not posted this year
    whom a school outside reach posted last."""
    numbers = [crypto.normalise_id(row.values["id_number"]) for row in rows]
    found = pks_by_id_number(StaffPerson, numbers)
    places = places_of(Post, found.values(), year)
    before = last_places(Post, set(found.values()) - set(places), year)
    stored = {
        pk: (name, sex, birth)
        for pk, name, sex, birth in StaffPerson.objects.filter(
            pk__in=[*places, *before]
        ).values_list("pk", "name", "sex", "birth_date")
    }
    errors: list[CellError] = []
    sink = ErrorSink(SPEC, errors)
    for row, number in zip(rows, numbers, strict=True):
        pk = found.get(number)
        paths = places.get(pk)
        held = paths is None  # not posted this year: held by the school that posted them last
        if held:
            paths = before.get(pk, ())
        if reach.covers_all(paths):
            continue
        v = row.values
        if not held and not any(map(reach.covers, paths)):
            message, key = STAFF_ELSEWHERE, "id_number"
        elif stored[pk] != (
            v["name"],
            v["sex"],
            v.get("birth_date") or birth_date_from_id(number),
        ):
            message, key = (
                "该教职工由其他学校登记，姓名、性别、出生日期须由区教体局修改"
                if held
                else "该教职工同时在其他学校任职，姓名、性别、出生日期须由区教体局修改",
                "name",
            )
        else:
            continue
        sink.bad(row, key, message)
    return errors
