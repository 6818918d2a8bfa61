"""学校名单: schools and campuses with their attributes, keyed by school code."""

from django.db import transaction

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.services import audit_bulk, entry_of_write
from ruraledu.core.idnumbers import credit_code_problem
from ruraledu.spreadsheets.base import (
    Column,
    ErrorSink,
    Importer,
    ImportResult,
    SheetSpec,
    register,
)

from .choices import (
    TOWN_LEVEL_KINDS,
    CampusType,
    OrgUnitKind,
    Ownership,
    SchoolStage,
    UrbanRuralCode,
)
from .models import EducationGroup, OrgUnit, School, SchoolDistrict
from .services import orgunit_upsert, school_upsert

SPEC = SheetSpec(
    kind="schools",
    title="学校名单",
    columns=(
        Column("code", "学校代码", required=True, note="学校标识码或本区编码"),
        Column("name", "学校名称", required=True, width=28),
        Column(
            "parent", "上级代码", required=True, note="学校填镇街代码；校区、教学点填所属学校代码"
        ),
        Column(
            "stage", "办学类型", kind="choice", choices=tuple(SchoolStage.choices), required=True
        ),
        Column(
            "ownership", "办学性质", kind="choice", choices=tuple(Ownership.choices), required=True
        ),
        Column("is_inclusive", "普惠性", kind="bool", note="普惠性民办幼儿园填“是”"),
        Column(
            "urban_rural_code",
            "城乡分类代码",
            kind="choice",
            choices=tuple(UrbanRuralCode.choices),
            required=True,
        ),
        Column("is_town_seat", "镇驻地学校", kind="bool"),
        Column(
            "campus_type",
            "校区类型",
            kind="choice",
            choices=tuple(CampusType.choices),
            note="校区、教学点必填",
        ),
        Column("school_district", "学区名称"),
        Column("education_group", "教育集团"),
        Column("credit_code", "统一社会信用代码", width=22),
    ),
)


@register
class SchoolListImporter(Importer):
    spec = SPEC

    def _context(self, user):
        allowed = set(OrgUnit.objects.for_user(user, "change").values_list("code", flat=True))
        units = {u.code: u for u in OrgUnit.objects.all()}
        return allowed, units

    def validate(self, rows, *, year, user):
        allowed, units = self._context(user)
        code_of = {u.pk: code for code, u in units.items()}
        mover = Reach(user, Action.MOVE)
        in_file = {r.values.get("code"): r for r in rows}
        errors, seen = [], {}
        sink = ErrorSink(SPEC, errors)
        districts = set(SchoolDistrict.objects.values_list("name", flat=True))
        for row in rows:
            v = row.values
            bad = sink.at(row)
            code, parent = v.get("code"), v.get("parent")
            if code and code in seen:
                bad("code", f"学校代码与第 {seen[code]} 行重复")
            seen.setdefault(code, row.number)
            if code and "/" in code:
                bad("code", "代码不能包含“/”")
            # An import changes only units already in the uploader's change scope, or adds
            # new ones under it; moving a unit elsewhere in the tree is the bureau's action.
            existing = units.get(code)
            if existing and code not in allowed:
                bad("code", "无权修改该学校（不在您的管辖范围内）")
            elif existing and parent and code_of.get(existing.parent_id) != parent:
                target = units.get(parent)
                if target is None and parent in in_file:
                    target = units.get(in_file[parent].values.get("parent"))
                if not (mover.covers(existing.path) and target and mover.covers(target.path)):
                    bad("parent", "调整学校或校区的隶属关系只能由区教体局办理")
            parent_kind = (
                units[parent].kind
                if parent in units
                else (OrgUnitKind.SCHOOL if parent in in_file else None)
            )
            if parent and parent_kind is None:
                bad("parent", "上级代码不存在")
            elif not existing and parent and parent not in allowed and parent not in in_file:
                bad("parent", "无权在该单位下导入学校（不在您的管辖范围内）")
            is_campus = parent_kind == OrgUnitKind.SCHOOL
            if parent_kind and not is_campus and parent_kind not in TOWN_LEVEL_KINDS:
                bad("parent", "学校的上级应为镇、街道或开发区")
            if is_campus and not v.get("campus_type"):
                bad("campus_type", "校区、教学点必须填写校区类型")
            if not is_campus and v.get("campus_type"):
                bad("campus_type", "学校（法人）不填写校区类型")
            if code in units and units[code].kind not in (OrgUnitKind.SCHOOL, OrgUnitKind.CAMPUS):
                bad("code", "该代码已被镇街或村居使用")
            if v.get("credit_code") and (problem := credit_code_problem(v["credit_code"])):
                bad("credit_code", problem)
            if v.get("school_district") and v["school_district"] not in districts:
                bad("school_district", "学区名称不存在，请先在管理后台建立学区")
            if v.get("is_inclusive") and v.get("ownership") == Ownership.PUBLIC:
                bad("is_inclusive", "公办园视为普惠，“普惠性”只对民办园填写")
        return errors

    @transaction.atomic
    def write(self, rows, *, year, user):
        result = ImportResult()
        entries = []  # every record created or changed, for the audit trail
        districts = dict(SchoolDistrict.objects.values_list("name", "pk"))
        # schools before their campuses, so that a file may hold both
        ordered = sorted(rows, key=lambda r: r.values["parent"] in {x.values["code"] for x in rows})
        for order, row in enumerate(ordered):
            v = row.values
            parent = OrgUnit.objects.get(code=v["parent"])
            kind = OrgUnitKind.CAMPUS if parent.kind == OrgUnitKind.SCHOOL else OrgUnitKind.SCHOOL
            unit, unit_created, unit_before = orgunit_upsert(
                code=v["code"], name=v["name"], kind=kind, parent=parent, sort_order=order
            )
            group = None
            if v.get("education_group"):
                group, made = EducationGroup.objects.get_or_create(name=v["education_group"])
                if made:
                    entries.append(entry_of_write(group, True, {}))
            school, school_created, school_before = school_upsert(
                unit=unit,
                stage=v["stage"],
                ownership=v["ownership"],
                is_inclusive=bool(v.get("is_inclusive")),
                urban_rural_code=v["urban_rural_code"],
                is_town_seat=bool(v.get("is_town_seat")),
                campus_type=v.get("campus_type") or "",
                school_district_id=districts.get(v.get("school_district")),
                education_group=group,
                credit_code=v.get("credit_code") or "",
            )
            if unit_created or unit_before:
                entries.append(entry_of_write(unit, unit_created, unit_before))
            if school_created or school_before:
                entries.append(entry_of_write(school, school_created, school_before))
            if unit_created:
                result.created += 1
            elif unit_before or school_created or school_before:
                result.updated += 1
            else:
                result.unchanged += 1
        audit_bulk(actor=user, summary=f"导入{SPEC.title}", entries=entries)
        return result

    def export_rows(self, *, year, user, school=None):
        schools = School.objects.for_user(user).select_related(
            "org_unit__parent", "school_district", "education_group"
        )
        for s in schools.order_by("org_unit__path"):
            yield {
                "code": s.org_unit.code,
                "name": s.org_unit.name,
                "parent": s.org_unit.parent.code,
                "stage": s.stage,
                "ownership": s.ownership,
                "is_inclusive": s.is_inclusive,
                "urban_rural_code": s.urban_rural_code,
                "is_town_seat": s.is_town_seat,
                "campus_type": s.campus_type,
                "school_district": s.school_district.name if s.school_district else "",
                "education_group": s.education_group.name if s.education_group else "",
                "credit_code": s.credit_code,
            }
