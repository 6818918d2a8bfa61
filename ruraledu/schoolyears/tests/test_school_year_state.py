"""A year being collected is not a year to judge: starting one changes no target, the schools
check their data, the bureau confirms it, and only then is it judged."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ruraledu.core.models import SchoolYear, SchoolYearCheck
from ruraledu.core.rollforward import school_year_start
from ruraledu.indicators.evaluation import evaluate_targets
from ruraledu.indicators.models import IndicatorValue, TargetState, TargetStatusChange
from ruraledu.plans.models import Plan, Target
from ruraledu.schoolyears.services import school_year_confirm
from ruraledu.spreadsheets.forms import ImportUploadForm

TODAY = dt.date(2026, 11, 29)


def value(unit, year, figure):
    IndicatorValue.objects.create(
        code="rural_teacher_health_check_rate",
        unit=unit,
        year=year,
        value=figure,
        computed_at=timezone.now(),
    )


@pytest.fixture
def judged(district, school_a):
    """2024 and 2025 confirmed with the target met; a target on 体检 (health checks)."""
    for year in (2024, 2025):
        SchoolYear.objects.create(year=year, is_current=year == 2025)
        value(district, year, 100.0)
    plan = Plan.objects.create(code="p", title="方案", start_year=2023, end_year=2027)
    target = Target.objects.create(
        plan=plan,
        code="P1-1",
        text="教师每年体检全覆盖",
        kind="measured",
        comparator="gte",
        threshold=Decimal(100),
        recurrence="yearly",
        due_date=dt.date(2027, 12, 31),
        indicator_code="rural_teacher_health_check_rate",
    )
    evaluate_targets(today=TODAY)
    return target


def test_starting_a_year_changes_no_target_status(judged, district):
    changes = TargetStatusChange.objects.count()
    school_year_start(year=2026)
    # the new, nearly empty year computes 0 % health checks (the flag restarts each year)
    value(district, 2026, 0.0)
    assert evaluate_targets(today=TODAY) == 0
    assert TargetStatusChange.objects.count() == changes
    state = TargetState.objects.get(target=judged)
    assert (state.status, state.value_year) == ("achieved", 2025)
    assert SchoolYear.objects.get(year=2026).state == "collecting"


def test_the_confirmed_year_is_judged(judged, district, district_admin):
    school_year_start(year=2026)
    value(district, 2026, 80.0)
    school_year_confirm(year=2026, actor=district_admin)
    evaluate_targets(today=TODAY)
    state = TargetState.objects.get(target=judged)
    assert (state.value_year, state.value) == (2026, 80.0)
    assert state.status != "achieved"


def test_only_the_bureau_confirms_a_year(client, judged, school_clerk, district_admin):
    school_year_start(year=2026)
    url = reverse("schoolyears:schoolyear_list")
    client.force_login(school_clerk)
    client.post(url, {"action": "confirm", "year": 2026})
    assert SchoolYear.objects.get(year=2026).state == "collecting"
    client.force_login(district_admin)
    client.post(url, {"action": "confirm", "year": 2026})
    assert SchoolYear.objects.get(year=2026).state == "confirmed"


def test_a_clerk_checks_their_school_and_only_theirs(client, judged, school_clerk, school_b):
    school_year_start(year=2026)
    url = reverse("schoolyears:schoolyear_list")
    client.force_login(school_clerk)
    page = client.get(url).content.decode()
    assert "甲镇中心小学" in page and "乙镇中心小学" not in page  # scoped progress
    assert "缺办学条件" in page and "本校数据已核对" in page
    client.post(url, {"action": "check", "year": 2026, "unit": "SA"})
    client.post(url, {"action": "check", "year": 2026, "unit": "SB"})
    assert list(SchoolYearCheck.objects.values_list("unit__code", flat=True)) == ["SA"]
    assert "已核对 1 所" in client.get(url).content.decode()


def test_uploads_default_to_the_year_being_collected_and_say_so(judged):
    school_year_start(year=2026)
    form = ImportUploadForm()
    assert form.fields["year"].initial == 2026
    assert "正在填报的2026—2027学年" in form.fields["year"].help_text


def test_opening_a_year_is_the_bureaus_service_and_is_audited(judged, district_admin, town_officer):
    import pytest
    from django.core.exceptions import PermissionDenied, ValidationError

    from ruraledu.audit.models import AuditEvent
    from ruraledu.schoolyears.services import school_year_open

    with pytest.raises(PermissionDenied):
        school_year_open(year=2026, actor=town_officer)
    with pytest.raises(ValidationError):
        school_year_open(year=2027, actor=district_admin)  # not the next year
    assert not SchoolYear.objects.filter(year__in=(2026, 2027)).exists()
    school_year_open(year=2026, actor=district_admin)
    event = AuditEvent.objects.get(summary="开始2026—2027学年")
    assert (event.actor, event.after["state"]) == (district_admin, "collecting")


def test_progress_counts_kindergarten_classes_and_campus_records(district_admin, town_a):
    from ruraledu.facilities.models import KindergartenClass
    from ruraledu.orgunits.choices import OrgUnitKind
    from ruraledu.orgunits.tests.factories import SchoolFactory
    from ruraledu.schoolyears.services import school_progress
    from ruraledu.spreadsheets.testing import new_id
    from ruraledu.workforce.models import Post, StaffPerson

    kindergarten = SchoolFactory(org_unit__code="K1", org_unit__parent=town_a, stage="111")
    branch = SchoolFactory(
        org_unit__code="K1B",
        org_unit__parent=kindergarten.org_unit,
        org_unit__kind=OrgUnitKind.CAMPUS,
        stage="111",
        campus_type="kg_branch",
    )
    KindergartenClass.objects.create(
        school=kindergarten, year=2026, level="small", classes=1, children=25
    )
    KindergartenClass.objects.create(school=branch, year=2026, level="large", classes=1, children=5)
    teacher = StaffPerson(name="园丁", sex="2")
    teacher.set_id_number(new_id())
    teacher.save()
    Post.objects.create(person=teacher, school=branch, year=2026, degree="2")
    SchoolYear.objects.create(year=2026, state="collecting")
    row = next(p for p in school_progress(year=2026, user=district_admin) if p.unit.code == "K1")
    assert (row.students, row.staff) == (30, 1)
    assert "无学生" not in row.problems and "无教职工" not in row.problems
