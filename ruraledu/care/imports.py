"""The partner lists of 四查三比对 as spreadsheet importers, one per list.

Who may import which list: the bureau (区教体局) any of them; a partner department's reporter
(部门填报员) only the lists its department supplies (`SUPPLIERS`); nobody else. Every list is
of the district's school-age children of the year: an 18-digit resident ID number with a
valid check digit, a village of the district, a birth date in the year's compulsory-school
window. The priority lists (残联, 脱贫/监测, 民政) name children of the household register,
so their ID numbers must be on that year's 户籍 list (imported first); the check reads the
partner data only, never the student roster, so an import tells nothing about who is
enrolled. A list is upserted by ID number (blind index): a re-import unchanged changes
nothing; a child left out of a later file stays on the list (as with the rosters).
"""

import datetime as dt
from functools import partial

from ruraledu.accounts.policy import is_bureau
from ruraledu.accounts.scoping import bureau_units, user_departments
from ruraledu.audit.services import audit_bulk
from ruraledu.core import crypto
from ruraledu.core.bulk import select_in
from ruraledu.core.idnumbers import birth_date_from_id
from ruraledu.core.models import Sex
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.districts import within
from ruraledu.orgunits.models import OrgUnit
from ruraledu.spreadsheets.base import (
    CellError,
    Column,
    ColumnsMissing,
    ErrorSink,
    Importer,
    ImportResult,
    SheetSpec,
    absent,
    column,
    register,
)
from ruraledu.spreadsheets.importing import DuplicateTracker, PeopleUpsert
from ruraledu.students.choices import FamilyStatus

from .choices import ListKind
from .models import ListEntry

# the departments whose reporters may import each list (codes of the plan's departments)
SUPPLIERS: dict[str, tuple[str, ...]] = {
    ListKind.HOUSEHOLD: ("public-security",),
    ListKind.DISABLED: ("disabled-federation",),
    ListKind.POVERTY: ("agriculture", "rural-work"),
    ListKind.ORPHAN: ("civil-affairs",),
    ListKind.UNATTENDED: ("civil-affairs",),
    ListKind.HARDSHIP: ("civil-affairs",),
}
SUPPLIER_NAMES: dict[str, str] = {
    "public-security": "区公安分局",
    "disabled-federation": "区残联",
    "agriculture": "区农业农村局",
    "rural-work": "区委农办",
    "civil-affairs": "区民政局",
}

DISABILITY_KINDS = tuple(
    (v, v)
    for v in ("视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾")
)
DISABILITY_GRADES = tuple((v, v) for v in ("一级", "二级", "三级", "四级"))
FAMILY_KINDS = tuple(c for c in FamilyStatus.choices if c[0])

COMMON = (
    Column("id_number", "身份证号", kind="id_number", required=True, width=22),
    Column("name", "姓名", required=True),
    Column("birth_date", "出生日期", kind="date", note="留空则取自身份证号"),
    Column("village", "户籍村居代码", required=True, note="本区村（居）委会的代码"),
)
EXTRA: dict[str, tuple[Column, ...]] = {
    ListKind.DISABLED: (
        Column("disability_kind", "残疾类别", kind="choice", choices=DISABILITY_KINDS),
        Column("disability_grade", "残疾等级", kind="choice", choices=DISABILITY_GRADES),
    ),
    ListKind.POVERTY: (
        Column("family", "家庭类别", kind="choice", choices=FAMILY_KINDS, required=True),
    ),
}
FIELDS = ("name", "sex", "birth_date", "village", "town", "detail")


def school_age_window(year: int) -> tuple[dt.date, dt.date]:
    """Birth dates of the children of compulsory-school age in school year `year`: six to
    fourteen full years old on 31 August, the nine cohorts of grades 1 to 9."""
    return dt.date(year - 15, 9, 1), dt.date(year - 6, 8, 31)


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def import_units(user, kind: str) -> list[OrgUnit] | None:
    """Where `user` may import list `kind`: None for the whole install (its bureau, or a
    supplying department of the install's own plan), else the districts of the district
    bureaus they review for and of the supplying departments they report for (in a city, each
    district's 区民政局 is its own department, coded with the district's prefix). Empty:
    nowhere."""
    if is_bureau(user):
        return None
    units = list(bureau_units(user))
    for department in user_departments(user):
        if department.plan_code in SUPPLIERS[kind]:
            if department.org_unit is None:
                return None
            units.append(department.org_unit)
    return units


def may_import(user, kind: str) -> bool:
    return import_units(user, kind) != []


def _sex_of(number: str) -> str:
    return Sex.MALE if int(number[16]) % 2 else Sex.FEMALE


def _detail(kind: str, values: dict) -> str:
    if kind == ListKind.DISABLED:
        return "".join(filter(None, [values["disability_kind"], values["disability_grade"]]))
    if kind == ListKind.POVERTY:
        return FamilyStatus(values["family"]).label if values["family"] else ""
    return ""


class ListImporter(Importer):
    """One partner list; subclasses name the kind."""

    list_kind: str

    def validate(self, rows, *, year, user):
        errors: list[CellError] = []
        sink = ErrorSink(self.spec, errors)
        if not may_import(user, self.list_kind):
            names = "、".join(SUPPLIER_NAMES[c] for c in SUPPLIERS[self.list_kind])
            errors.append(
                CellError(
                    self.spec.title,
                    0,
                    "",
                    "",
                    f"您无权导入{self.spec.title}：该名单由区教体局或{names}的部门填报员导入",
                )
            )
            return errors
        units = import_units(user, self.list_kind)
        villages = _villages(units)
        first, last = school_age_window(year)
        on_register = None
        if self.list_kind != ListKind.HOUSEHOLD:
            numbers = [n for n in column(rows, "id_number") if n]
            keys = crypto.blind_indexes(numbers)
            found = set(
                key
                for (key,) in select_in(
                    ListEntry,
                    ("id_index",),
                    "id_index",
                    sorted(set(keys)),
                    "AND kind = %s AND year = %s",
                    [ListKind.HOUSEHOLD, year],
                )
            )
            on_register = {n for n, k in zip(numbers, keys, strict=True) if k in found}
        seen = DuplicateTracker()
        col = partial(column, rows)
        for row, number, birth, village in zip(
            rows, col("id_number"), col("birth_date"), col("village"), strict=True
        ):
            bad = sink.at(row)
            if number:
                born = birth_date_from_id(number)
                if len(number) != 18:
                    bad("id_number", "应填写 18 位居民身份证号，不接受学籍号")
                elif problem := seen.problem(number, row.number):
                    bad("id_number", f"同一儿童在文件中出现两次（{problem}）")
                elif birth and birth != born:
                    bad("birth_date", "出生日期与身份证号不符")
                elif not first <= born <= last:
                    bad(
                        "id_number",
                        f"不是 {year} 学年的义务教育适龄儿童（应在 {_day(first)}至{_day(last)}之间出生）",
                    )
                elif on_register is not None and number not in on_register:
                    bad(
                        "id_number",
                        f"不在 {year} 学年的户籍适龄儿童名单中：请核对身份证号，"
                        "或先导入户籍适龄儿童名单",
                    )
            if village and village not in villages:
                bad("village", "村居代码不存在：须为本区村（居）委会的代码")
        if units is not None:
            for row in _listed_elsewhere(rows, self.list_kind, year, units):
                sink.at(row)("id_number", LISTED_ELSEWHERE)
        return errors

    def write(self, rows, *, year, user):
        villages = _villages(import_units(user, self.list_kind))
        col = partial(column, rows)
        numbers = [crypto.normalise_id(n) for n in col("id_number")]
        keys = crypto.blind_indexes(numbers)
        extra = [c.key for c in self.spec.columns[len(COMMON) :]]
        wanted = {}
        for i, (key, number, name, birth, village) in enumerate(
            zip(keys, numbers, col("name"), col("birth_date"), col("village"), strict=True)
        ):
            village_pk, town_pk = villages[village]
            details = {k: col(k)[i] for k in extra}
            wanted[key] = (
                number,
                (
                    name.strip(),
                    _sex_of(number),
                    birth or birth_date_from_id(number),
                    village_pk,
                    town_pk,
                    _detail(self.list_kind, details),
                ),
            )
        people = PeopleUpsert(
            ListEntry, FIELDS, wanted, where={"kind": self.list_kind, "year": year}
        )
        # the list's own columns make one detail ("肢体残疾二级"): a file lacking one of them
        # must not change the detail of an entry on file, as a roster's missing columns must
        # not clear what they hold (an entry without one may gain it)
        if lacking := absent(rows) & set(extra):
            at = FIELDS.index("detail")
            changed = [pk for pk, old, new in people.changed if old[at] and old[at] != new[at]]
            if changed:
                raise ColumnsMissing(lacking, len(changed))
        people.write()
        result = ImportResult()
        result.created, result.updated = len(people.created), len(people.changed)
        result.unchanged = len(wanted) - result.created - result.updated
        result.created_ids[ListEntry._meta.label] = people.created
        audit_bulk(
            actor=user,
            summary=f"导入{self.spec.title}（{year}学年）",
            entries=people.audit_entries(),
        )
        return result

    exports = False  # see export_rows

    def export_rows(self, *, year, user, school=None):
        # names of children in hardship do not leave the platform as a file
        return iter(())


def _villages(units: list[OrgUnit] | None) -> dict[str, tuple[int, int]]:
    """Village code -> (village pk, its town's pk) for every village in `units` (None: of the
    install)."""
    villages = OrgUnit.objects.filter(kind=OrgUnitKind.VILLAGE)
    if units is not None:
        villages = villages.filter(within(units, "path"))
    return {
        code: (pk, parent) for code, pk, parent in villages.values_list("code", "pk", "parent_id")
    }


LISTED_ELSEWHERE = "该儿童已在其他区县的同一名单中，须由其户籍所在区县修改"


def _listed_elsewhere(rows, kind: str, year: int, units: list[OrgUnit]) -> list:
    """The rows naming a child this list holds already in a district outside `units`: the
    entry is that district's to change."""
    numbers = column(rows, "id_number")
    keys = crypto.blind_indexes([n for n in numbers if n])
    ours = set(OrgUnit.objects.filter(within(units, "path")).values_list("pk", flat=True))
    found = select_in(
        ListEntry,
        ("id_index", "town"),
        "id_index",
        sorted(set(keys)),
        "AND kind = %s AND year = %s",
        [kind, year],
    )
    held = {key for key, town in found if town not in ours}
    keyed = iter(keys)
    return [row for row, n in zip(rows, numbers, strict=True) if n and next(keyed) in held]


def _importer(kind: str) -> type[ListImporter]:
    spec = SheetSpec(
        kind=f"care_{kind}",
        title=ListKind(kind).label,
        columns=(*COMMON, *EXTRA.get(kind, ())),
    )
    cls = type(f"{kind.title()}ListImporter", (ListImporter,), {"spec": spec, "list_kind": kind})
    return register(cls)


IMPORTERS = {kind: _importer(kind) for kind in ListKind}
KIND_OF_IMPORT = {cls.spec.kind: kind for kind, cls in IMPORTERS.items()}
