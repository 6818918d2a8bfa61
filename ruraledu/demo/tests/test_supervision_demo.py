"""The demo's supervision: zones per town, the demo inspector and researcher at their schools,
a year of visits with items (some overdue and escalated), notices and 听课; deterministic and
added once."""

from django.core.management import call_command
from django.utils import timezone

from ruraledu.activities.choices import ObservationSource
from ruraledu.activities.models import LessonObservation, SchoolLink
from ruraledu.core.schoolyear import current_school_year
from ruraledu.demo.hotline import hotline_demo_wipe
from ruraledu.demo.supervision import supervision_demo_wipe
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.supervision.choices import PENDING_STATUSES, ItemStatus, VisitStatus
from ruraledu.supervision.models import (
    InspectorAssignment,
    ItemEvent,
    RectificationItem,
    RectificationNotice,
    StaffAccount,
    Visit,
    Zone,
)
from ruraledu.supervision.plan import months_between, plan_progress

MODELS = (Zone, InspectorAssignment, Visit, RectificationItem, RectificationNotice, ItemEvent)


def _snapshot():
    rows = [m.objects.count() for m in MODELS]
    rows.append(LessonObservation.objects.filter(source=ObservationSource.PLATFORM).count())
    rows.append(
        sorted(
            RectificationItem.objects.values_list("school__org_unit__code", "status", "deadline")
        )
    )
    return rows


def test_the_demo_gives_the_inspector_and_researcher_a_year_of_work(db):
    # when
    call_command("setup_demo", scale="tiny")
    # then a zone per town, holding its schools
    towns = OrgUnit.objects.filter(parent__parent=None, kind__in=TOWN_LEVEL_KINDS)
    assert Zone.objects.count() == towns.count()
    kunlun = Zone.objects.get(name="昆仑镇督导责任区")
    assert kunlun.schools.filter(org_unit__name__contains="示例").exists()
    # the demo inspector is the 挂牌 inspector of their two schools this year
    year = current_school_year()
    current = InspectorAssignment.objects.filter(
        inspector__username="inspector", year=year, ended_on__isnull=True
    )
    assert current.count() == 2
    schools = {a.school_id for a in current}
    visits = Visit.objects.filter(inspector__username="inspector")
    assert {v.school_id for v in visits} == schools
    assert 14 <= visits.count() <= 24
    assert set(visits.values_list("status", flat=True)) == {VisitStatus.SIGNED_OFF}
    # items went out in numbered notices; most closed, some overdue and escalated
    items = RectificationItem.objects.all()
    assert items.exists() and not items.filter(notice__isnull=True).exists()
    assert items.filter(status=ItemStatus.CLOSED).exists()
    overdue = items.filter(status__in=PENDING_STATUSES, deadline__lt=timezone.localdate())
    assert overdue.exists() and overdue.filter(escalation__gt=0).exists()
    assert not items.filter(status=ItemStatus.CLOSED, days_to_close__isnull=True).exists()
    # the plan (one 经常性督导 a month) is partly met at each school over the last year
    today = timezone.localdate()
    progress = plan_progress(
        schools=list(schools), months=months_between(today.replace(year=today.year - 1), today)
    )
    assert all(0 < p.done < p.expected for p in progress.values()) and len(progress) == 2
    labels = list(RectificationNotice.objects.values_list("label", flat=True))
    assert len(labels) == len(set(labels)) and all(
        label.startswith("川教督整〔") for label in labels
    )
    # the demo researcher is linked to their schools and has recorded 听课 on the phone
    links = SchoolLink.objects.filter(person__account__user__username="researcher", year=year)
    assert links.count() == 2
    phone = LessonObservation.objects.filter(
        recorded_by__username="researcher", source=ObservationSource.PLATFORM
    )
    assert phone.exists() and {o.school_id for o in phone} <= {link.school_id for link in links}


def test_setting_up_the_demo_twice_adds_no_supervision_rows(db):
    call_command("setup_demo", scale="tiny")
    before = _snapshot()
    call_command("setup_demo", scale="tiny")
    assert _snapshot() == before


def test_the_wipe_before_a_regeneration_lets_go_of_every_demo_school_and_person(db):
    # given a demo with its supervision work
    call_command("setup_demo", scale="tiny")
    schools = School.objects.filter(org_unit__name__contains="示例")
    # when the rows that would hold on to the demo schools and staff are removed (after the
    # hotline's, whose 问责 steps hold items, as demo_setup does)
    hotline_demo_wipe(schools)
    supervision_demo_wipe(schools)
    # then none is left (the generator can then replace the schools and people)
    assert not Visit.objects.exists() and not RectificationItem.objects.exists()
    assert not RectificationNotice.objects.exists() and not InspectorAssignment.objects.exists()
    assert not Zone.schools.through.objects.exists()
    assert not StaffAccount.objects.exists()
