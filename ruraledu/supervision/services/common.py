"""What every supervision write shares: the locked, version-checked read and the audit row."""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone

from ruraledu.audit.services import audit_record, changed, snapshot
from ruraledu.core.schoolyear import school_year_bounds, upload_years
from ruraledu.core.versions import check_version

from ..permissions import require

STALE = (
    "该%(what)s已被其他人更新（您看到的是第 %(seen)s 版，现在是第 %(now)s 版），"
    "您的修改没有保存。请刷新页面，核对最新情况后再操作。"
)


def lock(model, obj, version: int | None, what: str, *, actor, may: Callable, refusal: str):
    """`obj` re-read under a row lock, once `may(actor, school)` says the actor may do this
    step there (else PermissionDenied with `refusal`: someone without the right is not told
    of versions). `version` is what the user's form was read at: when someone changed the
    record since, the change is refused rather than merged."""
    locked = model.objects.select_for_update().select_related("school__org_unit").get(pk=obj.pk)
    require(may(actor, locked.school), refusal)
    check_version(STALE, what=what, seen=version, now=locked.version)
    return locked


def record_day(on: dt.date, what: str = "日期") -> None:
    """A field record's date: not ahead, and not before the oldest school year data may be
    entered for (a visit typed as 1900 counted in no year's figures)."""
    if on > timezone.localdate():
        raise ValidationError(f"{what}不能晚于今天。")
    first, _ = school_year_bounds(min(upload_years()))
    if on < first:
        raise ValidationError(f"{what}不能早于 {first:%Y-%m-%d}（可登记的最早学年的开始）。")


def save_audited(
    *,
    obj,
    before: dict,
    fields: list[str],
    actor,
    action: str,
    summary: str,
    address: str | None = None,
    exclude: list[str] | None = None,
) -> None:
    """Raise the version, validate, save the fields and append the audit row."""
    obj.version += 1
    obj.full_clean(exclude=exclude)
    obj.save(update_fields=[*dict.fromkeys(fields), "version", "updated_at"])
    old, new = changed(before, snapshot(obj))
    audit_record(
        actor=actor,
        instance=obj,
        action=action,
        before=old,
        after=new,
        summary=summary,
        address=address,
    )
