"""The trail names schools and org units (by name and code) where a record stores their id;
a child stays an id: the trail is no place to read children's names."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.orgunits.models import School
from ruraledu.orgunits.tests.factories import SchoolFactory
from ruraledu.planning.models import Scenario
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


def store(model, before, after):
    AuditEvent(
        at=timezone.now(),
        action=AuditAction.UPDATE,
        content_type=ContentType.objects.get_for_model(model),
        object_id="1",
        object_repr="记录",
        before=before,
        after=after,
    ).save()


def queries_of(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as seen:
        page = client.get(url).content.decode()
    return len(seen), page


def test_a_page_of_the_trail_reads_names_once_for_the_page(client, district_admin, town_a):
    # given entries that name a school and a user each
    first, second = SchoolFactory.create_batch(2, org_unit__parent=town_a)
    store(Enrolment, {"school": first.pk}, {"school": second.pk})
    store(Scenario, {}, {"created_by": district_admin.pk})
    client.force_login(district_admin)
    url = reverse("audit:event_list")
    few, _ = queries_of(client, url)
    # when twenty more name other schools and other users
    for n in range(10):
        school = SchoolFactory(org_unit__parent=town_a, org_unit__name=f"第{n}小学")
        store(Enrolment, {"school": first.pk}, {"school": school.pk})
        user = UserFactory(full_name=f"第{n}位用户")
        store(Scenario, {}, {"created_by": user.pk})
    many, page = queries_of(client, url)
    # then the page reads them all by name, and no query more
    assert many == few
    assert "第9小学" in page and "第9位用户" in page
    # and one record's history reads its names once too
    history = reverse("audit:record_history", args=["students", "enrolment", "1"])
    count, page = queries_of(client, history)
    assert "第0小学" in page and "第9小学" in page
    store(Enrolment, {"school": first.pk}, {"school": second.pk})
    assert queries_of(client, history)[0] == count
