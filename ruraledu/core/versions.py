"""Optimistic versions of records edited through forms: a form carries the version it was read
at, and a save from an older copy is refused rather than merged. The refused form keeps what
was typed and takes the current version, so that saving it again is the user's decision to
replace the other person's change (and not a refusal forever)."""

from django.core.exceptions import ValidationError
from django.http import QueryDict

STALE = "stale"

REOFFERED = (
    "该%(what)s已被其他人更新（您看到的是第 %(seen)s 版，现在是第 %(now)s 版），您的修改没有保存。"
    "您填写的内容保留在下方：再次保存将以您的内容替换对方的修改；"
    "如要保留对方的修改，请刷新页面查看（您填写的内容将不再保留）。"
)


def stale_refusal(message: str, *, what: str, seen: int, now: int) -> ValidationError:
    """The refusal of a save from version `seen` of a record now at `now`; `message` may name
    %(what)s, %(seen)s and %(now)s."""
    return ValidationError(message, code=STALE, params={"what": what, "seen": seen, "now": now})


def check_version(message: str, *, what: str, seen: int | None, now: int) -> None:
    """Refuse (stale_refusal) a save from version `seen` of a record now at `now`; a save
    that carries no version (None) is not checked."""
    if seen is not None and seen != now:
        raise stale_refusal(message, what=what, seen=seen, now=now)


def reoffered(data: QueryDict, error: ValidationError, key: str = "version"):
    """The messages of a refused save and the posted `data` to show again. A stale refusal
    sets `key` to the current version in a copy, keeping every typed field."""
    if getattr(error, "code", None) != STALE:
        return error.messages, data
    data = data.copy()
    data[key] = error.params["now"]
    return [REOFFERED % error.params], data


def refusal_messages(form, error: ValidationError) -> list[str]:
    """The messages of a refused save to show on its form. A stale refusal also moves the
    bound form to the current version, keeping every typed field."""
    shown, form.data = reoffered(form.data, error, form.add_prefix("version"))
    return shown
