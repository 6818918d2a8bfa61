"""Reads of the personal-data access log (who saw or exported clear ID numbers); the bureau
only. Children are found by their ID number through the blind index, never by clear text."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404

from ruraledu.accounts.policy import is_bureau
from ruraledu.core import crypto
from ruraledu.core.models import PersonalDataAccess
from ruraledu.spreadsheets.importing import pks_by_id_number
from ruraledu.students.models import StudentPerson

STUDENT_SUBJECT = "students.studentperson"
PURPOSES = {"view": "查看证件号", "export": "导出名册（含证件号）"}


def personal_access_list(
    *, user, actor: str = "", child: int | None = None, purpose: str = ""
) -> QuerySet[PersonalDataAccess]:
    """The log, newest first: by operator (username or name), by child (student pk), by
    purpose. Outside the bureau: 404."""
    if not is_bureau(user):
        raise Http404("页面不存在。")
    entries = PersonalDataAccess.objects.select_related("user")
    if actor:
        entries = entries.filter(
            Q(user__username__iexact=actor) | Q(user__full_name__icontains=actor)
        )
    if child is not None:
        entries = entries.filter(subject=f"{STUDENT_SUBJECT}:{child}")
    if purpose:
        entries = entries.filter(purpose=purpose)
    return entries.order_by("-at", "-pk")


def child_get(pk: int) -> StudentPerson | None:
    return StudentPerson.objects.filter(pk=pk).only("name", "id_hint").first()


def student_by_id_number(id_number: str) -> StudentPerson | None:
    """The student holding this ID number (looked up by blind index)."""
    number = crypto.normalise_id(id_number or "")
    if not number:
        return None
    pk = pks_by_id_number(StudentPerson, [number]).get(number)
    return child_get(pk) if pk else None


@dataclass(frozen=True)
class Subject:
    """What an entry was about, for display: a person (name, masked ID) or an export."""

    text: str
    masked_id: str = ""
    child: int | None = None


def _export_text(subject: str) -> str:
    # "export:<kind>:<year>:<school or 全部>" (cut to the field's 50 characters)
    parts = subject.split(":")[1:]
    kind, year, school = (parts + ["", "", ""])[:3]
    return f"导出：{kind}，{year}学年，{school or '全部'}".rstrip("，")


def describe_subjects(entries) -> dict[int, Subject]:
    """entry pk -> Subject; one query per kind of person on the page."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        label, _, key = entry.subject.partition(":")
        if not entry.subject.startswith("export:") and key.isdigit():
            wanted.setdefault(label, set()).add(int(key))
    people: dict[tuple[str, int], object] = {}
    for label, pks in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        for person in model._default_manager.filter(pk__in=pks).only("name", "id_hint"):
            people[(label, person.pk)] = person
    described = {}
    for entry in entries:
        label, _, key = entry.subject.partition(":")
        person = people.get((label, int(key))) if key.isdigit() else None
        if entry.subject.startswith("export:"):
            described[entry.pk] = Subject(_export_text(entry.subject))
        elif person is not None:
            child = person.pk if label == STUDENT_SUBJECT else None
            described[entry.pk] = Subject(person.name, person.masked_id, child)
        else:
            described[entry.pk] = Subject(f"{entry.subject}（记录已不存在）")
    return described
