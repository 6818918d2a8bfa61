"""Kinds of visit and their checklists, edited by the bureau without code. A published
checklist is frozen; a revision is a new draft version."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot

from ..choices import ChecklistStatus
from ..models import Checklist, ChecklistItem, VisitKind
from ..permissions import may_configure, require

BUREAU_ONLY = "只有区教体局可以编制督导类型和检查表。"


@transaction.atomic
def visit_kind_save(
    *, actor, name: str, visits_per_month: int = 0, order: int = 0, kind: VisitKind | None = None
) -> VisitKind:
    """Create or rename a kind of visit and set its expected frequency."""
    require(may_configure(actor), BUREAU_ONLY)
    before = snapshot(kind) if kind else {}
    kind = kind or VisitKind()
    kind.name, kind.visits_per_month, kind.order = name.strip(), visits_per_month, order
    kind.full_clean()
    kind.save()
    audit_record(
        actor=actor,
        instance=kind,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        before=before,
        after=snapshot(kind),
        summary=f"督导类型：{kind.name}",
    )
    return kind


def parse_lines(text: str) -> list[tuple[str, str]]:
    """Checklist items from lines written `领域：检查内容` (a line without an area joins the
    previous line's area). Raises with the line number of the first bad line."""
    items: list[tuple[str, str]] = []
    area = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        head, sep, rest = line.replace(":", "：").partition("：")
        if sep:
            area, line = head.strip(), rest.strip()
        if not area:
            raise ValidationError(f"第 {number} 行没有写领域：请写成“领域：检查内容”。")
        if not line:
            raise ValidationError(f"第 {number} 行只有领域，没有检查内容。")
        if len(area) > 50 or len(line) > 300:
            raise ValidationError(f"第 {number} 行过长：领域不超过 50 字，检查内容不超过 300 字。")
        items.append((area, line))
    if not items:
        raise ValidationError("检查表没有任何条目：请至少写一条“领域：检查内容”。")
    return items


@transaction.atomic
def checklist_draft_save(
    *, actor, kind: VisitKind, title: str, lines: str, checklist: Checklist | None = None
) -> Checklist:
    """Write a draft checklist (a new version of the kind's, or the same draft again). A
    published checklist is never changed here: revising it starts a new version."""
    require(may_configure(actor), BUREAU_ONLY)
    items = parse_lines(lines)
    if checklist is not None:
        checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
        if checklist.is_frozen:
            raise ValidationError("已发布的检查表不能修改，请另存为新版本。")
        checklist.items.all().delete()
    else:
        VisitKind.objects.select_for_update().get(pk=kind.pk)  # one new version at a time
        top = Checklist.objects.filter(kind=kind).aggregate(top=Max("version"))["top"] or 0
        checklist = Checklist(kind=kind, version=top + 1, created_by=actor)
    checklist.title = title.strip() or kind.name
    checklist.full_clean()
    checklist.save()
    ChecklistItem.objects.bulk_create(
        ChecklistItem(checklist=checklist, area=area, text=text, order=n)
        for n, (area, text) in enumerate(items, start=1)
    )
    audit_record(
        actor=actor,
        instance=checklist,
        action=AuditAction.UPDATE,
        after={**snapshot(checklist), "items": [f"{a}：{t}" for a, t in items]},
        summary=f"检查表草稿：{checklist}",
    )
    return checklist


@transaction.atomic
def checklist_publish(*, actor, checklist: Checklist) -> Checklist:
    """Publish a draft: from now on visits of its kind use it; the previous version retires
    (visits that used it keep it)."""
    require(may_configure(actor), BUREAU_ONLY)
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.status != ChecklistStatus.DRAFT:
        raise ValidationError("只有草稿状态的检查表可以发布。")
    if not checklist.items.exists():
        raise ValidationError("检查表没有任何条目，不能发布。")
    Checklist.objects.filter(kind=checklist.kind, status=ChecklistStatus.PUBLISHED).update(
        status=ChecklistStatus.RETIRED
    )
    checklist.status, checklist.published_at = ChecklistStatus.PUBLISHED, timezone.now()
    checklist.save(update_fields=["status", "published_at"])
    audit_record(
        actor=actor,
        instance=checklist,
        action=AuditAction.TRANSITION,
        before={"status": ChecklistStatus.DRAFT},
        after={"status": checklist.status},
        summary=f"发布检查表：{checklist}",
    )
    return checklist


def checklist_current(kind: VisitKind) -> Checklist | None:
    return Checklist.objects.filter(kind=kind, status=ChecklistStatus.PUBLISHED).first()
