"""The aid actually granted, from the 资助 system's export: one row per child, kind of aid,
term and paying school.

Who may import: a role that works care cases (the school's clerk, the town office, the bureau's
资助中心) for the schools in its reach. A row's school must be in that reach and its child
enrolled that year at a school in it; a child who is not reads the same as an unknown ID
number (an import never tells where a child is). The name must be the roster's. Rows are
upserted by (child, kind, term, school): a re-import unchanged changes nothing; a grant left
out of a later file stays."""

from decimal import Decimal

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.services import audit_bulk
from ruraledu.orgunits.lookups import SchoolLookup
from ruraledu.spreadsheets.base import (
    CellError,
    Column,
    Importer,
    ImportResult,
    SheetSpec,
    column,
    register,
)
from ruraledu.spreadsheets.importing import (
    RecordImporter,
    pks_by_id_number,
    places_of,
    write_year_rows,
)
from ruraledu.spreadsheets.staging import select_in
from ruraledu.students.models import Enrolment, StudentPerson

from .choices import Semester
from .models import AidGrant, AidKind

KEY = ("person", "kind", "semester", "school")
VALUES = ("unit", "amount")
NOT_ENROLLED = "该证件号不在您管辖学校本学年的学籍中"
SEMESTERS = tuple((str(value), label) for value, label in Semester.choices)


class GrantImporter(RecordImporter, Importer):
    spec = SheetSpec(
        kind="aid_grants",
        title="资助发放记录",
        columns=(
            Column("id_number", "身份证号", kind="id_number", required=True, width=22),
            Column("name", "姓名", required=True),
            Column("school", "学校代码", required=True),
            Column("aid_kind", "资助项目", required=True, width=30, note="资助项目名称"),
            Column("semester", "学期", kind="choice", choices=SEMESTERS, required=True),
            Column("amount", "金额（元）", kind="decimal", required=True, min_value=0.01),
        ),
    )
    model = AidGrant
    key_fields = ("person_id", "kind_id", "semester", "school_id")
    # the school's 资助 officer holds CARE, not CHANGE, on its one school
    upload_action = Action.CARE

    def validate(self, rows, *, year, user):
        if not Reach(user, Action.CARE):
            message = "您无权导入资助发放记录：由学校、镇街教育办或区教体局（资助中心）导入"
            return [CellError(self.spec.title, 0, "", "", message)]
        return super().validate(rows, year=year, user=user)

    def _collect(self, rows, user, year, errors=None):
        self._rows, self._year = rows, year
        return super()._collect(rows, user, year, errors)

    def context(self, user):
        reach = Reach(user, Action.CARE)
        numbers = [n for n in column(self._rows, "id_number") if n]
        pks = pks_by_id_number(StudentPerson, numbers)
        places = places_of(Enrolment, pks.values(), self._year)
        # only the children enrolled within reach: the rest read as unknown
        people = {
            number: pk
            for number, pk in pks.items()
            if pk in places and reach.covers_all(places[pk])
        }
        # in chunks: the bureau's file of a city passes SQLite's limit on parameters
        names = dict(select_in(StudentPerson, ("pk", "name"), "id", list(people.values())))
        kinds = {}
        for kind in AidKind.objects.filter(is_active=True):
            kinds[kind.name] = kinds[kind.code] = kind.pk
        return {
            "reach": reach,
            "schools": SchoolLookup(user, Action.CARE),
            "people": people,
            "names": names,
            "kinds": kinds,
        }

    def row_values(self, row, ctx, bad):
        values = row.values
        ok = True
        school = values.get("school")
        if school and (problem := ctx["schools"].problem(school)):
            bad("school", problem)
            ok = False
        person = ctx["people"].get(values.get("id_number") or "")
        if values.get("id_number") and person is None:
            bad("id_number", NOT_ENROLLED)
            ok = False
        elif person is not None and ctx["names"][person] != (values.get("name") or "").strip():
            bad("name", "姓名与学籍登记的姓名不一致")
            ok = False
        kind = ctx["kinds"].get((values.get("aid_kind") or "").strip())
        if values.get("aid_kind") and kind is None:
            known = "、".join(AidKind.objects.filter(is_active=True).values_list("name", flat=True))
            bad("aid_kind", f"资助项目不存在或未启用，应为：{known}")
            ok = False
        if not ok or None in (person, kind, values.get("semester"), values.get("amount")):
            return None
        ref = ctx["schools"].get(school)
        return {
            "person_id": person,
            "kind_id": kind,
            "semester": int(values["semester"]),
            "school_id": ref.pk,
            "unit_id": ref.pk,
            "amount": Decimal(str(values["amount"])).quantize(Decimal("0.01")),
        }

    def write(self, rows, *, year, user):
        # in bulk: a term's export of a district runs to tens of thousands of rows
        collected = self._collect(rows, user, year)
        wanted = {
            (v["person_id"], v["kind_id"], v["semester"], v["school_id"]): (
                v["unit_id"],
                v["amount"],
            )
            for _, v in collected
        }
        stored = {
            (person, kind, semester, school): (pk, (unit, amount))
            for pk, person, kind, semester, school, unit, amount in AidGrant.objects.filter(
                year=year
            ).values_list(
                "pk", "person_id", "kind_id", "semester", "school_id", "unit_id", "amount"
            )
        }
        result = ImportResult()
        changes = write_year_rows(AidGrant, KEY, VALUES, year, stored, wanted, result)
        audit_bulk(actor=user, summary=f"导入{self.spec.title}（{year}学年）", entries=changes)
        return result

    exports = False  # see export_rows

    def export_rows(self, *, year, user, school=None):
        # names of children in hardship leave the platform only through the logged gap export
        return iter(())


register(GrantImporter)
