"""Resolving codes typed in spreadsheets to units, with the user's scope applied once."""

from dataclasses import dataclass

from ruraledu.accounts.choices import Action

from .choices import OrgUnitKind
from .models import OrgUnit, School


@dataclass(frozen=True)
class SchoolRef:
    pk: int
    code: str
    name: str
    stage: str
    is_campus: bool
    parent_pk: int | None


class SchoolLookup:
    """All schools by code; `problem()` says why a code cannot be used by this user."""

    def __init__(self, user, action: str = Action.CHANGE):
        rows = School.objects.values_list(
            "org_unit_id",
            "org_unit__code",
            "org_unit__name",
            "stage",
            "org_unit__kind",
            "org_unit__parent_id",
        )
        self.by_code = {
            code: SchoolRef(pk, code, name, stage, kind == OrgUnitKind.CAMPUS, parent)
            for pk, code, name, stage, kind, parent in rows
        }
        self.allowed = set(School.objects.for_user(user, action).values_list("pk", flat=True))

    def problem(self, code: str) -> str | None:
        ref = self.by_code.get(code)
        if ref is None:
            return "学校代码不存在"
        if ref.pk not in self.allowed:
            return "无权导入该学校的数据（不在您的管辖范围内）"
        return None

    def get(self, code: str) -> SchoolRef:
        return self.by_code[code]


class VillageLookup:
    def __init__(self, user, action: str = Action.VIEW):
        self.by_code = dict(
            OrgUnit.objects.filter(kind=OrgUnitKind.VILLAGE).values_list("code", "pk")
        )

    def problem(self, code: str) -> str | None:
        return None if code in self.by_code else "村居代码不存在"
