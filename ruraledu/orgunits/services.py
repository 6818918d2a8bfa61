"""Writes to the org tree."""

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from ruraledu.core.upsert import upsert

from .choices import OrgUnitKind
from .models import OrgUnit, School


def orgunit_upsert(
    *, code: str, name: str, kind: str, parent: OrgUnit | None, sort_order: int = 0
) -> tuple[OrgUnit, bool, dict]:
    """Create or update one unit by its code; returns `upsert`'s (unit, created, before)."""
    return upsert(
        OrgUnit,
        {"code": code},
        {"name": name, "kind": kind, "parent": parent, "sort_order": sort_order},
    )


def school_upsert(*, unit: OrgUnit, **values) -> tuple[School, bool, dict]:
    return upsert(School, {"org_unit": unit}, values)


@transaction.atomic
def orgunits_load(path: str | Path) -> int:
    """Load the district and its towns from a YAML file; returns the number of changed rows."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    try:
        district_data, units = data["district"], data["units"]
    except (TypeError, KeyError) as exc:
        raise ValidationError(f"{path}：文件须包含 district 与 units 两项。") from exc
    district, created, before = orgunit_upsert(
        code=str(district_data["code"]),
        name=district_data["name"],
        kind=OrgUnitKind.DISTRICT,
        parent=None,
    )
    count = int(created or bool(before))
    for order, row in enumerate(units):
        if row.get("kind") not in (OrgUnitKind.TOWN, OrgUnitKind.SUBDISTRICT, OrgUnitKind.ZONE):
            raise ValidationError(f"{path}：第 {order + 1} 个单位“{row.get('name')}”的类型无效。")
        _, created, before = orgunit_upsert(
            code=str(row["code"]),
            name=row["name"],
            kind=row["kind"],
            parent=district,
            sort_order=order,
        )
        count += int(created or bool(before))
    return count
