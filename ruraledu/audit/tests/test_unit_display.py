"""The trail names schools and org units (by name and code) where a record stores their id;
a child stays an id: the trail is no place to read children's names."""

from django.contrib.contenttypes.models import ContentType

from ruraledu.audit.models import AuditEvent
from ruraledu.orgunits.models import School
from ruraledu.students.models import Enrolment, StudentPerson


def event(model, before, after) -> dict:
    row = AuditEvent(
        content_type=ContentType.objects.get_for_model(model), before=before, after=after
    )
    return {label: (old, new) for label, old, new in row.changes}


def test_a_school_moved_reads_by_name(school_a, school_b):
    shown = event(
        Enrolment,
        {"school": school_a.pk, "campus": None, "person": 41},
        {"school": school_b.pk, "campus": school_b.pk, "person": 42},
    )
    assert shown["学校"] == ("甲镇中心小学（SA）", "乙镇中心小学（SB）")
    assert shown["校区"] == (None, "乙镇中心小学（SB）")
    assert shown["学生"] == (41, 42)


def test_an_org_unit_reads_by_name_and_an_unknown_one_as_stored(town_a):
    shown = event(StudentPerson, {"village": 987654}, {"village": town_a.pk})
    assert shown["户籍/居住村居"] == (987654, "甲镇（TA）")


def test_one_query_per_kind_of_unit(django_assert_num_queries, school_a, town_a):
    School.objects.get(pk=school_a.pk)  # content types cached by the first read below
    event(Enrolment, {}, {})
    with django_assert_num_queries(1):
        event(Enrolment, {"school": school_a.pk}, {"school": school_a.pk, "grade": 2})
