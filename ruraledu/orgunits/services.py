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
def orgunit_move(*, unit: OrgUnit, parent: OrgUnit | None) -> int:
    """Put `unit` (and its whole subtree) under `parent`, rewriting every path below it in
    one pass; returns the number of units moved. The tree's shape rules apply."""
    if parent is not None and parent.path.startswith(unit.path):
        raise ValidationError(f"不能把“{unit.name}”移到它自己的下级之下。")
    unit.parent = parent
    unit.full_clean(exclude=["path", "depth"])
    old, old_depth = unit.path, unit.depth
    unit.save()
    shift = unit.depth - old_depth
    below = list(OrgUnit.objects.filter(path__startswith=old).exclude(pk=unit.pk))
    for child in below:
        child.path = unit.path + child.path[len(old) :]
        child.depth += shift
    OrgUnit.objects.bulk_update(below, ["path", "depth"], batch_size=2000)
    return len(below) + 1


@transaction.atomic
def orgunits_load(path: str | Path, parent: OrgUnit | None = None) -> int:
    """Load the district and its towns from a YAML file; returns the number of changed rows.
    The district stays where it is in the tree (at the root when new) unless `parent` (a city)
    is given, when it is put, with everything below it, under that city."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    try:
        district_data, units = data["district"], data["units"]
    except (TypeError, KeyError) as exc:
        raise ValidationError(f"{path}：文件须包含 district 与 units 两项。") from exc
    code = str(district_data["code"])
    existing = OrgUnit.objects.filter(code=code).select_related("parent").first()
    where = existing.parent if existing is not None and parent is None else parent
    district, created, before = orgunit_upsert(
        code=code,
        name=district_data["name"],
        kind=OrgUnitKind.DISTRICT,
        parent=existing and existing.parent,
    )
    if created:
        if where is not None:
            orgunit_move(unit=district, parent=where)
    elif district.parent_id != (where.pk if where else None):
        orgunit_move(unit=district, parent=where)
        before = before or {"parent": existing.parent_id}
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
