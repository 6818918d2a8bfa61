"""Create or update one row by its natural key, writing only when something differs."""

import datetime as dt


def differs(current, new) -> bool:
    """Whether a stored value and an incoming one differ (enum vs text, Decimal vs int, …)."""
    if hasattr(current, "pk") and hasattr(new, "pk"):
        return current.pk != new.pk
    if isinstance(current, dt.date) and isinstance(new, str):
        return current.isoformat() != new
    if current is None or new is None:
        return current is not new
    try:
        return type(new)(current) != new if not isinstance(current, type(new)) else current != new
    except (TypeError, ValueError):
        return True


def upsert(model, lookup: dict, values: dict):
    """(object, created, changed: name -> value before, for the audit trail); validated with
    full_clean() before saving."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, True, {}
    changed = {
        name: getattr(obj, name)
        for name, value in values.items()
        if differs(getattr(obj, name), value)
    }
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save()  # whole row: save() may derive fields (an org unit's path)
    return obj, False, changed
