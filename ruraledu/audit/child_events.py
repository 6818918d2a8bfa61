"""The children a page of audit rows is about. The trail labels a pupil's records by name
(李嘉宁 2025 1年级) and keeps the values of case records, so showing those rows is a read of
the child like any other, logged against the child (or the care record) it concerns."""

from collections import deque
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from .personal_access import CHILD_FIELDS, LIST_SUBJECT, STUDENT_SUBJECT, ChildReads

MAX_HOPS = 3  # a case's contact reaches the child in two: contact -> case -> child
# records the access log names by themselves (the log page resolves them to the child)
OWN_SUBJECTS = frozenset({*CHILD_FIELDS, LIST_SUBJECT})


def _subject_label(model) -> str:
    return model._meta.label_lower


@cache
def _about(model) -> tuple[str, ...] | str | None:
    """How a record of `model` names its child: "self" (it is the child or a care record the
    log names), "index" (a blind index of the child's ID number), the foreign keys leading to
    such a record (("case",) for a contact), or None: a record about no child."""
    if _subject_label(model) in {STUDENT_SUBJECT, *OWN_SUBJECTS}:
        return "self"
    # breadth first: the nearest child is the one the record is about
    queue = deque([(model, ())])
    while queue:
        current, path = queue.popleft()
        if len(path) == MAX_HOPS:
            continue
        for field in current._meta.concrete_fields:
            if not field.is_relation or field.related_model is current:
                continue
            target = field.related_model
            if _subject_label(target) in {STUDENT_SUBJECT, *OWN_SUBJECTS}:
                return (*path, field.name)
            queue.append((target, (*path, field.name)))
    if any(f.name == "id_index" for f in model._meta.concrete_fields) and not _is_adult(model):
        return "index"
    return None


def _is_adult(model) -> bool:
    return _subject_label(model) == "workforce.staffperson"


def _subject(model, pk) -> str:
    return f"{_subject_label(model)}:{pk}"


def _resolve(model, pks: set, payloads: dict) -> dict:
    """pk -> subject for records of `model` (payloads: pk -> the stored values, for records
    deleted since)."""
    about = _about(model)
    if about is None or not pks:
        return {}
    if about == "self":
        return {pk: _subject(model, pk) for pk in pks}
    if about == "index":
        student = apps.get_model(STUDENT_SUBJECT)
        indexes = dict(model._default_manager.filter(pk__in=pks).values_list("pk", "id_index"))
        for pk in pks - indexes.keys():
            if index := payloads.get(pk, {}).get("id_index"):
                indexes[pk] = index
        found = dict(
            student._default_manager.filter(id_index__in=set(indexes.values())).values_list(
                "id_index", "pk"
            )
        )
        return {pk: _subject(student, found[i]) for pk, i in indexes.items() if i in found}
    # the first hop, from the record (or its stored values), then the rest from there
    first = model._meta.get_field(about[0])
    hops = dict(model._default_manager.filter(pk__in=pks).values_list("pk", first.attname))
    for pk in pks - hops.keys():
        hop = payloads.get(pk, {}).get(first.name)
        if hop is not None:
            hops[pk] = hop
    reached = _resolve(first.related_model, {h for h in hops.values() if h is not None}, {})
    return {pk: reached[hop] for pk, hop in hops.items() if hop in reached}


def child_subjects_of(events) -> list[str]:
    """The access-log subjects of the children the given audit rows are about."""
    wanted: dict[type[models.Model], tuple[set, dict]] = {}
    for event in events:
        if event.content_type_id is None:
            continue
        # from the cache: a record's history reads its rows without their types
        model = ContentType.objects.get_for_id(event.content_type_id).model_class()
        if model is None or _about(model) is None:
            continue
        try:
            pk = model._meta.pk.to_python(event.object_id)
        except (ValidationError, ValueError):  # a key kept from a record of another shape
            continue
        pks, payloads = wanted.setdefault(model, (set(), {}))
        pks.add(pk)
        payloads[pk] = {**(event.before or {}), **(event.after or {})}
    subjects = []
    for model, (pks, payloads) in wanted.items():
        subjects += _resolve(model, pks, payloads).values()
    return list(dict.fromkeys(subjects))


def record_subjects(record: models.Model | None) -> list[str]:
    """The access-log subject of the child one record is about (none for other records)."""
    if record is None:
        return []
    return list(_resolve(type(record), {record.pk}, {}).values())


def log_trail_reads(request, events, subjects=()) -> None:
    """Rows about a child name the child or hold their case's values: a read, logged."""
    subjects = [*subjects, *child_subjects_of(events)]
    ChildReads.of(request, "audit_trail").save(subjects)
