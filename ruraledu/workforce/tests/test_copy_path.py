"""The staff roster takes the same COPY path as the student roster on PostgreSQL: the same
stored rows and audit rows as the generic path, and a repeat changes nothing."""

import datetime as dt

import pytest
from django.db import connection

from ruraledu.audit.models import AuditEvent
from ruraledu.core import crypto
from ruraledu.spreadsheets import staging
from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import new_id, rows
from ruraledu.workforce.imports import POST_FIELDS
from ruraledu.workforce.models import Post, StaffPerson

from .test_imports import YEAR, teacher

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the COPY path is PostgreSQL's; SQLite takes the generic path tested elsewhere",
)


@pytest.fixture
def importer():
    return get_importer("staff")


def three_imports(importer, user) -> tuple[dict, list]:
    """New staff, a corrected roster with a newcomer and a second post, the same again."""
    numbers = {new_id(dt.date(1980, 5, 5)): label for label in "abc"}
    a, b, c = numbers
    first = [teacher(id_number=a), teacher(id_number=b, name="李老师", subject="pe")]
    corrected = [
        teacher(id_number=a, degree="1"),
        teacher(id_number=b, name="李晓老师", subject="pe"),
        teacher(id_number=c, name="赵老师", title="2"),
    ]
    counts = []
    for data in (first, corrected, corrected):
        result = importer.write(rows(*data), year=YEAR, user=user)
        counts.append((result.created, result.updated, result.unchanged))
    return numbers, counts


def snapshot(numbers: dict, since: int) -> tuple[dict, list]:
    labels = {crypto.blind_index(n): label for n, label in numbers.items()}
    label_of, found = {}, {}
    for person in StaffPerson.objects.filter(id_index__in=labels):
        label = labels[person.id_index]
        label_of[("staffperson", person.pk)] = label
        post = Post.objects.get(person=person, year=YEAR)
        label_of[("post", post.pk)] = label
        found[label] = (
            person.name,
            person.sex,
            person.birth_date,
            post.school_id,
            tuple(getattr(post, f) for f in POST_FIELDS),
        )
    audit = [
        (
            e.action,
            e.content_type.model,
            label_of[(e.content_type.model, int(e.object_id))],
            e.summary,
            e.before,
            e.after,
        )
        for e in AuditEvent.objects.filter(pk__gt=since).order_by("pk")
    ]
    return found, audit


def last_audit() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_staff_copy_path_matches_the_generic_path(importer, district_admin, school_a, monkeypatch):
    since = last_audit()
    copied, copied_counts = three_imports(importer, district_admin)
    copied_rows, copied_audit = snapshot(copied, since)

    monkeypatch.setattr(staging, "copy_available", lambda: False)
    since = last_audit()
    generic, generic_counts = three_imports(importer, district_admin)
    generic_rows, generic_audit = snapshot(generic, since)

    assert copied_counts == generic_counts == [(2, 0, 0), (1, 1, 1), (0, 0, 3)]
    assert copied_rows == generic_rows
    assert copied_rows["b"][0] == "李晓老师"
    assert copied_audit == generic_audit
    assert [(model, label) for _, model, label, *_ in copied_audit] == [
        ("staffperson", "b"),
        ("post", "a"),
    ]
