"""The personal-data access log: one way to write it (`access_log`, called wherever a child's
name or ID number is shown in clear: pages, exports, drill-downs, the API) and the bureau's
reads of it, per user and per child. Children are found by their ID number through the blind
index, never by clear text."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, is_bureau
from ruraledu.core import crypto
from ruraledu.core.models import PersonalDataAccess
from ruraledu.spreadsheets.importing import pks_by_id_number
from ruraledu.spreadsheets.staging import insert_rows
from ruraledu.students.models import Enrolment, StudentPerson

from .utils import request_address

STUDENT_SUBJECT = "students.studentperson"
# every purpose written to the log, as the bureau's page names it
PURPOSES = {
    "view": "查看证件号",
    "export": "导出名单",
    "import_copy": "下载他人上传的导入文件（错误标注）",
    "import_errors": "查看他人上传的导入文件的错误列表",
    "roster_list": "学生名单页面",
    "roster_edit": "修改学籍信息",
    "transfer_list": "转学申请列表",
    "drilldown": "指标明细",
    "drilldown_export": "导出指标明细",
    "api": "接口读取",
    "audit_trail": "审计记录",
    "case_list": "个案名单",
    "case_view": "查看个案",
    "case_export": "导出个案名单",
    "case_file": "下载个案材料",
    "notice_print": "打印限期返校通知书",
    "notice_download": "下载限期返校通知书",
    "finding_list": "比对名单",
    "finding_view": "查看比对记录",
    "finding_export": "导出比对名单",
    "growth_list": "学困生名单",
    "growth_view": "查看成长档案",
    "aid_gap_list": "资助比对名单",
    "inclusion_list": "残联名单比对",
    "inclusion_unplaced": "未安置残疾儿童名单",
    "inclusion_decide": "安置决定",
    "inclusion_home_list": "送教上门名单",
    "inclusion_home_view": "送教上门进度",
    "inclusion_file": "下载安置决定材料",
    "inclusion_export": "导出残联名单比对",
    "leftbehind_list": "留守与困境儿童关爱名单",
    "leftbehind_view": "查看关爱记录",
    "leftbehind_export": "导出关爱名单",
}
# a hotline caller: not a child, and not an "app.model" label the page resolves to a person
HOTLINE_CALLER = "热线来电人"
# subjects that name no child, as the page states them (the key filled in)
NAMED_SUBJECTS = {HOTLINE_CALLER: "热线工单 #{} 的来电人"}
# what a subject's label names, for the page
SUBJECT_KINDS = {
    STUDENT_SUBJECT: "学生信息",
    "care.dropoutcase": "控辍保学个案",
    "care.finding": "比对记录",
    "care.listentry": "名单记录",
}


def student_subject(person_pk: int) -> str:
    return f"{STUDENT_SUBJECT}:{person_pk}"


def access_log(*, user, subjects: Iterable[str], purpose: str, address: str | None) -> int:
    """One row per subject (e.g. "students.studentperson:42") whose personal data `user` was
    shown in clear, in one insert; returns the number of rows. The rows are what bulk_create
    of model instances stored (the address as the field prepares it; the time now, one for
    the call where bulk_create stamped each instance microseconds apart), written as plain
    rows (COPY on PostgreSQL): a district's export logs 70,000 children, and building as
    many instances cost four times the insert."""
    field = PersonalDataAccess._meta.get_field
    user_pk = user.pk
    if user_pk is None:
        raise ValueError("access_log: the user is not saved")
    address = field("address").get_db_prep_value(address, connection)
    at = field("at").get_db_prep_value(timezone.now(), connection)
    purpose = purpose[:20]
    rows = [(user_pk, subject[:50], purpose, address, at) for subject in dict.fromkeys(subjects)]
    with transaction.atomic(savepoint=False):
        return insert_rows(PersonalDataAccess, LOG_FIELDS, rows)


LOG_FIELDS = ("user", "subject", "purpose", "address", "at")


# an export row's key naming the child it shows (ignored by the writer, read by the log)
ACCESS_SUBJECT = "_access_subject"


class ChildReads:
    """Collects the pupils whose names a list or an export shows in full, then logs them in
    one insert: `through()` passes records (enrolments) or export rows along as they stream."""

    def __init__(self, user, purpose: str, address: str | None = None):
        self.user, self.purpose, self.address, self.subjects = user, purpose, address, []
        self.personal = Reach(user, Action.VIEW_PERSONAL)

    @classmethod
    def of(cls, request, purpose: str) -> "ChildReads":
        """The reads of a request: its user, logged with its address."""
        return cls(request.user, purpose, request_address(request))

    def note(self, record) -> None:
        if isinstance(record, str):  # a subject already ("care.dropoutcase:7")
            self.subjects.append(record)
        elif isinstance(record, dict):
            if subject := record.get(ACCESS_SUBJECT):
                self.subjects.append(subject)
        elif isinstance(record, Enrolment):
            # the drill-down's rule: a path reached through a relation, else the school's
            path = getattr(record, "drill_path", None) or record.school.org_unit.path
            if self.personal.covers(path):
                self.subjects.append(student_subject(record.person_id))

    def through(self, records):
        for record in records:
            self.note(record)
            yield record

    def save(self, records=()) -> int:
        for record in records:
            self.note(record)
        return access_log(
            user=self.user, subjects=self.subjects, purpose=self.purpose, address=self.address
        )


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
        entries = entries.filter(subject__in=child_subjects(child))
    if purpose:
        entries = entries.filter(purpose=purpose)
    return entries.order_by("-at", "-pk")


def child_subjects(child: int) -> list[str]:
    """Every subject that names this child: the roster's person, and the care records about the
    child (cases, cross-check rows, list entries)."""
    from ruraledu.care import selectors as care

    person = child_get(child)
    return care.child_subjects(person) if person else [student_subject(child)]


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


# subject label -> (model, the field naming the child) for records about a child
CHILD_FIELDS = {
    "care.dropoutcase": ("care.DropoutCase", "person_id"),
    "care.finding": ("care.Finding", "student_id"),
}
# a partner list's entry is a person of its own, the roster's child when the ID matches
LIST_SUBJECT = "care.listentry"


def describe_subjects(entries) -> dict[int, Subject]:
    """entry pk -> Subject: the child a record is about (name, masked ID, link to the child's
    entries) whatever the record; a few queries per page."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        label, _, key = entry.subject.partition(":")
        known = label in CHILD_FIELDS or label in (STUDENT_SUBJECT, LIST_SUBJECT)
        if known and key.isdigit():
            wanted.setdefault(label, set()).add(int(key))
    child_of: dict[tuple[str, int], int | None] = {}
    listed = {}
    for label, pks in wanted.items():
        if label == STUDENT_SUBJECT:  # the record is the child
            child_of.update(((label, pk), pk) for pk in pks)
        elif label == LIST_SUBJECT:
            model = apps.get_model("care.ListEntry")
            listed = model._default_manager.only("name", "id_hint", "id_index").in_bulk(pks)
        else:
            model_label, field = CHILD_FIELDS[label]
            model = apps.get_model(model_label)
            for pk, child in model._default_manager.filter(pk__in=pks).values_list("pk", field):
                child_of[(label, pk)] = child
    found = StudentPerson.objects.filter(
        Q(pk__in={c for c in child_of.values() if c})
        | Q(id_index__in={e.id_index for e in listed.values()})
    ).only("name", "id_hint", "id_index")
    people = {p.pk: p for p in found}
    by_index = {p.id_index: p.pk for p in people.values()}
    child_of.update(((LIST_SUBJECT, pk), by_index.get(e.id_index)) for pk, e in listed.items())
    described = {}
    for entry in entries:
        label, _, key = entry.subject.partition(":")
        kind = SUBJECT_KINDS.get(label, "")
        person = people.get(child_of.get((label, int(key)))) if key.isdigit() else None
        listed_entry = listed.get(int(key)) if label == LIST_SUBJECT and key.isdigit() else None
        if entry.subject.startswith("export:"):
            described[entry.pk] = Subject(_export_text(entry.subject))
        elif person is not None:
            text = person.name if label == STUDENT_SUBJECT else f"{person.name}（{kind} #{key}）"
            described[entry.pk] = Subject(text, person.masked_id, person.pk)
        elif listed_entry is not None:  # a child on a partner's list, not in the roster
            text = f"{listed_entry.name}（{kind} #{key}）"
            described[entry.pk] = Subject(text, listed_entry.masked_id)
        elif label in NAMED_SUBJECTS:
            described[entry.pk] = Subject(NAMED_SUBJECTS[label].format(key))
        elif kind:
            described[entry.pk] = Subject(f"{kind} #{key}（记录已不存在）")
        else:
            described[entry.pk] = Subject(entry.subject)
    return described
