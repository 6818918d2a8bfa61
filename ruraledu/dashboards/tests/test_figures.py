"""A failing value never reads like a passing one (issue item 6)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue, TargetState
from ruraledu.indicators.templatetags.figures import counter_word, vs
from ruraledu.plans.models import Target


class Figure:
    def __init__(self, value, numerator=None, denominator=None, code="", year=2025):
        self.value, self.numerator, self.denominator = value, numerator, denominator
        self.code, self.year = code, year


def target(comparator="gte", threshold=100, unit="%", code="rural_student_mentor_rate"):
    return Target(comparator=comparator, threshold=threshold, unit=unit, indicator_code=code)


def test_a_failing_rate_shows_enough_digits_and_the_gap_in_people():
    # given 4,998 of 5,000 pupils with a mentor against a target of 100 %
    figure = Figure(99.96, 4998, 5000, "rural_student_mentor_rate")
    # then the figure does not round onto the threshold and says how many are missing
    assert vs(figure, target()) == '99.96%<small class="figure-gap">（差 2 人）</small>'


def test_a_value_just_below_the_threshold_gets_more_digits():
    assert vs(99.996, target()) == "99.996%"
    assert vs(99.9999, target()) == "99.9999%"
    assert vs(84.999, target(threshold=85)) == "84.999%"


def test_a_value_above_a_ceiling_gets_more_digits():
    ratio = target(comparator="lte", threshold=1.05, unit="", code="")
    assert vs(1.0504, ratio) == "1.0504"
    assert vs(1.03, ratio) == "1.03"


def test_passing_values_and_counts_read_plainly():
    assert vs(100.0, target()) == "100.00%"
    assert vs(Figure(1.0), target(comparator="eq", threshold=0, unit="项", code="")) == "1项"
    assert vs(None, target()) == "—"


def test_the_gap_is_counted_in_the_unit_of_the_denominator():
    assert counter_word("学校数") == "所"
    assert counter_word("幼儿园数") == "所"
    assert counter_word("在园幼儿数") == "人"
    assert counter_word("教室间数") == "间"
    assert counter_word("村居数") == "个"
    figure = Figure(33 / 34 * 100, 33, 34, "rural_parent_committee_school_rate")
    assert "（差 1 所）" in vs(figure, target(code="rural_parent_committee_school_rate"))


def test_a_bare_threshold_takes_the_direction_from_the_indicator():
    figure = Figure(99.96, 4998, 5000, "rural_student_mentor_rate")
    assert vs(figure, 100.0) == '99.96%<small class="figure-gap">（差 2 人）</small>'


@pytest.fixture
def narrowly_missed(zichuan_plan, district):
    """P01-4 (every rural pupil has a mentor, ≥ 100 %) overdue at 4,998 of 5,000 pupils."""
    now = timezone.now()
    IndicatorValue.objects.create(
        code="rural_student_mentor_rate",
        unit=district,
        year=2025,
        value=99.96,
        numerator=4998,
        denominator=5000,
        computed_at=now,
    )
    goal = Target.objects.get(code="P01-4")
    TargetState.objects.create(
        target=goal, status="overdue", value=99.96, value_year=2025, evaluated_at=now
    )
    return goal


def test_the_cockpit_shows_the_gap_of_an_overdue_target(client, district_leader, narrowly_missed):
    client.force_login(district_leader)
    body = client.get(reverse("dashboards:cockpit")).content.decode()
    watch = body.split('data-testid="watch-list"')[1].split("</table>")[0]
    row = watch.split(">P01-4</a>")[1].split("</tr>")[0]
    assert "99.96%" in row and "差 2 人" in row
    assert "100.0%" not in row


def test_project_target_and_indicator_pages_show_the_gap(client, district_leader, narrowly_missed):
    client.force_login(district_leader)
    pages = [
        reverse("dashboards:project_detail", args=[1]),
        reverse("indicators:target_detail", args=["P01-4"]),
        reverse("indicators:indicator_detail", args=["rural_student_mentor_rate"]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "99.96%" in body and "差 2 人" in body, url


@pytest.mark.parametrize(
    ("label", "word"),
    [
        ("学困生", "人"),
        ("留守和困境儿童", "人"),
        ("适龄残疾儿童少年", "人"),
        ("随迁子女", "人"),
        ("专任教师", "人"),
        ("有公用经费记录的学校", "所"),
        ("未结个案", "个"),
    ],
)
def test_a_denominator_named_without_数_still_counts_people_in_人(label, word):
    # the dashboard read "差 1510 个" for 学困生 (G-12): pupils are counted in 人
    assert counter_word(label) == word


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("supervision_visit_plan_rate", "次"),  # 应督导次数
        ("supervision_items_closed_on_time_rate", "项"),  # 到期的整改事项
        ("rural_classroom_lighting_rate", "间"),  # 教室间数
        ("dropout_case_plan_rate", "个"),  # 未结个案
    ],
)
def test_a_denominator_ending_in_its_measure_word_counts_in_it(code, word):
    assert counter_word(REGISTRY[code].denominator_label) == word
    figure = Figure(95.0, 19, 20, code)
    assert f"（差 1 {word}）" in vs(figure, target(threshold=100, code=code))
