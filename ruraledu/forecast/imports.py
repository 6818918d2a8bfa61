"""村居出生人口 importer: village code, birth year, births (the list the bureau obtains)."""

from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.lookups import VillageLookup
from ruraledu.orgunits.models import OrgUnit
from ruraledu.spreadsheets.base import Column, Importer, SheetSpec, register
from ruraledu.spreadsheets.importing import RecordImporter

from .models import BirthRecord


@register
class BirthImporter(RecordImporter, Importer):
    model = BirthRecord
    key_fields = ("village_id", "birth_year")
    year_field = None  # the birth year is in each row; the upload's school year is not used
    spec = SheetSpec(
        kind="births",
        title="村居出生人口",
        columns=(
            Column("village", "村居代码", required=True),
            Column(
                "birth_year", "出生年份", kind="int", required=True, min_value=1990, max_value=2100
            ),
            Column("births", "出生人数", kind="int", required=True, min_value=0, max_value=100000),
        ),
    )

    def context(self, user):
        allowed = set(
            OrgUnit.objects.for_user(user, Action.CHANGE)
            .filter(kind=OrgUnitKind.VILLAGE)
            .values_list("pk", flat=True)
        )
        return VillageLookup(user), allowed

    def row_values(self, row, ctx, bad):
        villages, allowed = ctx
        v = row.values
        code, year = v.get("village"), v.get("birth_year")
        usable = True
        if year is not None and year > timezone.localdate().year:
            bad("birth_year", "出生年份不能晚于今年")
            usable = False
        if not code:
            return None
        if problem := villages.problem(code):
            bad("village", problem)
            return None
        if villages.by_code[code] not in allowed:
            bad("village", "无权导入该村居的数据（不在您的管辖范围内）")
            return None
        if not usable or year is None or v.get("births") is None:
            return None
        return {"village_id": villages.by_code[code], "birth_year": year, "births": v["births"]}

    def export_rows(self, *, year, user, school=None):
        records = BirthRecord.objects.for_user(user).select_related("village")
        for r in records.order_by("village__path", "birth_year"):
            yield {"village": r.village.code, "birth_year": r.birth_year, "births": r.births}
