"""The eligibility rules as data: which enrolments qualify, for which kind, and how an edit to
the rules changes that; the defaults are seeded once and never overwrite an edit."""

import pytest

from ruraledu.students.models import Enrolment

from ..choices import AidFlag, AidStage
from ..models import AidAmount, AidCategory, AidKind
from ..rules import active_kinds, eligible_condition, kind_condition, rules_seed
from .conftest import enrol


def eligible_names() -> set[str]:
    return set(
        Enrolment.objects.filter(eligible_condition()).values_list("person__name", flat=True)
    )


def kind_names(code: str) -> set[str]:
    kind = next(k for k in active_kinds() if k.code == code)
    return set(
        Enrolment.objects.filter(kind_condition(kind)).values_list("person__name", flat=True)
    )


@pytest.fixture
def pupils(school_a):
    enrol(school_a, "孤儿甲", orphan=True)
    enrol(school_a, "留守乙", left_behind=True)
    enrol(school_a, "脱贫丙", family_status="lifted")
    enrol(school_a, "监测丁", family_status="monitored", grade=6)
    enrol(school_a, "普通戊")


def test_the_defaults_hold_the_plans_seven_categories_and_five_kinds():
    assert set(AidCategory.objects.values_list("flag", flat=True)) == set(AidFlag.values)
    assert AidKind.objects.count() == 5
    assert not AidKind.objects.filter(confirmed=True).exists()  # all await the 资助中心
    living = AidKind.objects.get(code="living")
    assert {a.stage: str(a.per_term) for a in living.amounts.all()} == {
        "primary": "500.00",
        "junior": "625.00",
    }


def test_a_pupil_in_any_category_qualifies_and_one_in_none_does_not(pupils):
    assert eligible_names() == {"孤儿甲", "留守乙", "脱贫丙", "监测丁"}


def test_a_kind_is_for_its_categories_only(pupils):
    # 营养膳食补助 by default: 脱贫 and 监测 households only
    assert kind_names("nutrition") == {"脱贫丙", "监测丁"}
    assert kind_names("living") == {"孤儿甲", "留守乙", "脱贫丙", "监测丁"}


def test_a_kind_without_an_amount_for_the_stage_is_not_for_that_stage(school_a, pupils):
    # 普通高中国家助学金 has an amount for senior high only: no primary pupil qualifies
    assert kind_names("senior_grant") == set()
    AidAmount.objects.create(
        kind=AidKind.objects.get(code="senior_grant"), stage=AidStage.PRIMARY, per_term=100
    )
    assert kind_names("senior_grant") == {"孤儿甲", "留守乙", "脱贫丙", "监测丁"}


def test_switching_off_a_category_or_a_kind_changes_who_qualifies(pupils):
    AidCategory.objects.filter(flag=AidFlag.LEFT_BEHIND).update(is_active=False)
    assert eligible_names() == {"孤儿甲", "脱贫丙", "监测丁"}
    AidKind.objects.exclude(code="nutrition").update(is_active=False)
    assert eligible_names() == {"脱贫丙", "监测丁"}


def test_seeding_again_adds_nothing_and_keeps_the_edits():
    living = AidKind.objects.get(code="living")
    living.name = "生活补助（区核定）"
    living.save()
    living.categories.remove(AidCategory.objects.get(flag=AidFlag.LEFT_BEHIND))
    rules_seed()
    assert AidKind.objects.count() == 5 and AidCategory.objects.count() == 7
    living.refresh_from_db()
    assert living.name == "生活补助（区核定）"
    assert living.categories.count() == 6
