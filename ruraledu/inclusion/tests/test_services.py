"""Writes: scope (out of reach is refused), the model's rules in Chinese, the version check,
and an audit row for every change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from ruraledu.audit.models import AuditEvent

from .. import services
from ..choices import DecisionKind
from ..models import DECISION_TAKEN, HomeVisit, PlacementDecision, VisitRule
from .conftest import YEAR, enrol, listed

D = dt.date


def audits(model):
    return AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(model))


@pytest.fixture
def unplaced(village_a):
    return listed("未甲", village_a)[0]


def test_the_town_office_places_an_unplaced_child_of_its_town(unplaced, town_officer, school_a):
    decision = services.decision_record(
        actor=town_officer,
        year=YEAR,
        entry_id=unplaced.pk,
        kind=DecisionKind.HOME,
        decided_on=D(2025, 10, 8),
        school=school_a,
    )
    assert (decision.kind, decision.unit_id, decision.version) == ("home", school_a.pk, 1)
    event = audits(PlacementDecision).get()
    assert event.action == "create" and event.after["kind"] == "home"


def test_out_of_reach_is_refused(unplaced, outsider, school_b):
    with pytest.raises(PermissionDenied):
        services.decision_record(
            actor=outsider,
            year=YEAR,
            entry_id=unplaced.pk,
            kind=DecisionKind.MAINSTREAM,
            decided_on=D(2025, 10, 8),
            school=school_b,
        )
    assert not PlacementDecision.objects.exists()


def test_a_deferral_needs_its_reason_and_evidence(unplaced, town_officer):
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            actor=town_officer,
            year=YEAR,
            entry_id=unplaced.pk,
            kind=DecisionKind.DEFERRED,
            decided_on=D(2025, 10, 8),
            reason="术后康复",
        )
    assert "暂缓入学须上传依据材料" in str(error.value.message_dict["evidence_file"])
    assert not audits(PlacementDecision).exists()


def test_an_enrolled_child_is_placed_by_the_registry(village_a, school_a, district_admin):
    entry, number = listed("学甲", village_a)
    enrol(number, "学甲", school_a, placement="mainstream")
    with pytest.raises(ValidationError, match="安置以学籍为准"):
        services.decision_record(
            actor=district_admin,
            year=YEAR,
            entry_id=entry.pk,
            kind=DecisionKind.DEFERRED,
            decided_on=D(2025, 10, 8),
            reason="康复",
            evidence="证明",
        )


def test_a_first_decision_recorded_twice_at_once_is_refused_in_chinese(
    unplaced, town_officer, school_a, monkeypatch
):
    # given two officers on the same unplaced child: each saw no decision yet
    before = services.reconcile(YEAR)
    record = {
        "actor": town_officer,
        "year": YEAR,
        "entry_id": unplaced.pk,
        "decided_on": D(2025, 10, 8),
        "school": school_a,
    }
    services.decision_record(kind=DecisionKind.MAINSTREAM, **record)
    # when the second records it from what it saw (the moment before the first's commit)
    monkeypatch.setattr(services, "reconcile", lambda year: before)
    with pytest.raises(ValidationError) as refused:
        services.decision_record(kind=DecisionKind.HOME, **record)
    # then it is told so, and the first decision stands, audited once
    assert refused.value.messages == [DECISION_TAKEN]
    # and so it is when both pass the check and the database's unique index tells them apart
    monkeypatch.setattr(PlacementDecision, "validate_constraints", lambda self, exclude: None)
    with pytest.raises(ValidationError) as refused:
        services.decision_record(kind=DecisionKind.HOME, **record)
    assert refused.value.messages == [DECISION_TAKEN]
    assert PlacementDecision.objects.get().kind == DecisionKind.MAINSTREAM
    assert audits(PlacementDecision).count() == 1


def test_a_change_read_at_an_old_version_is_refused(unplaced, town_officer, school_a):
    first = services.decision_record(
        actor=town_officer,
        year=YEAR,
        entry_id=unplaced.pk,
        kind=DecisionKind.MAINSTREAM,
        decided_on=D(2025, 10, 8),
        school=school_a,
    )
    services.decision_record(
        actor=town_officer,
        year=YEAR,
        entry_id=unplaced.pk,
        kind=DecisionKind.HOME,
        decided_on=D(2025, 10, 9),
        school=school_a,
        version=first.version,
    )
    with pytest.raises(ValidationError, match="已被其他人更新"):
        services.decision_record(
            actor=town_officer,
            year=YEAR,
            entry_id=unplaced.pk,
            kind=DecisionKind.SPECIAL_SCHOOL,
            decided_on=D(2025, 10, 9),
            place_note="市特教学校",
            version=first.version,
        )
    decision = PlacementDecision.objects.get()
    assert (decision.kind, decision.version) == ("home", 2)
    assert list(audits(PlacementDecision).order_by("pk").values_list("action", flat=True)) == [
        "create",
        "update",
    ]


@pytest.fixture
def home_child(village_a, school_a):
    entry, number = listed("送丙", village_a)
    return enrol(number, "送丙", school_a, placement="home")


def add_visit(actor, person, **changes):
    values = {
        "actor": actor,
        "year": YEAR,
        "key": f"p{person.pk}",
        "on": D(2025, 10, 10),
        "teachers": "李老师、王老师",
        "content": "康复训练、识字",
        "hours": Decimal("2.5"),
    }
    return services.visit_add(**{**values, **changes})


def test_the_school_logs_a_visit_once(home_child, care_officer):
    visit = add_visit(care_officer, home_child.person)
    assert (visit.school_id, visit.hours) == (home_child.school_id, Decimal("2.5"))
    assert audits(HomeVisit).get().summary == "送教上门记录"
    with pytest.raises(ValidationError, match="已经记录过"):
        add_visit(care_officer, home_child.person)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours": Decimal("9")}, "8"),
        ({"on": D(2025, 8, 31)}, "须在2025—2026学年内"),
        ({"hours": Decimal("0")}, "0.5"),
    ],
)
def test_bad_visits_are_refused(home_child, care_officer, changes, message):
    with pytest.raises(ValidationError, match=message):
        add_visit(care_officer, home_child.person, **changes)
    assert not HomeVisit.objects.exists()


def test_another_school_cannot_log_a_visit(home_child, outsider):
    with pytest.raises(PermissionDenied):
        add_visit(outsider, home_child.person)


def test_only_the_bureau_sets_the_frequency(district_admin, town_officer):
    with pytest.raises(PermissionDenied):
        services.rule_set(actor=town_officer, year=YEAR, visits_per_month=3, term_months="9")
    rule = services.rule_set(
        actor=district_admin, year=YEAR, visits_per_month=3, term_months="9，10,11"
    )
    assert rule.months() == (9, 10, 11)
    with pytest.raises(ValidationError, match="不是 1 到 12 之间的月份"):
        services.rule_set(actor=district_admin, year=YEAR, visits_per_month=3, term_months="13")
    assert VisitRule.objects.get().visits_per_month == 3
    assert audits(VisitRule).count() == 1


def test_every_problem_of_a_decision_is_told_at_once(unplaced, town_officer):
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            actor=town_officer,
            year=YEAR,
            entry_id=unplaced.pk,
            kind=DecisionKind.UNSUITABLE,
            decided_on=D(2025, 8, 1),
        )
    problems = error.value.message_dict
    assert set(problems) == {"reason", "evidence_file", "decided_on"}
    assert problems["decided_on"] == ["决定日期须在2025—2026学年内（2025-09-01 至 2026-08-31）。"]
