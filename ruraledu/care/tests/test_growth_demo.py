"""The demo's 学困生成长档案: the stories in turn at the clerk's school, through the services,
the clerk sees them, and setting the demo up again adds none."""

from collections import Counter

from django.core.management import call_command
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.accounts.models import User
from ruraledu.core.schoolyear import current_school_year
from ruraledu.demo.care import GROWTH_STORIES, growth_demo_setup
from ruraledu.indicators.definitions.care import term_start

from ..choices import GrowthState
from ..models import GrowthFile, GrowthReview
from ..selectors import growth_files_of, growth_pupil_list, growth_state
from .test_growth_services import flagged

STATE_OF_STORY = {
    "none": GrowthState.NO_FILE,
    "assessed": GrowthState.NO_PLAN,
    "planned": GrowthState.PLAN,
    "reviewed": GrowthState.REVIEWED,
    "exited": GrowthState.EXITED,
}


def _states(user, year):
    pupils = growth_pupil_list(user=user, year=year)
    files = growth_files_of(pupils.values_list("person_id", flat=True))
    today = timezone.localdate()
    return Counter(growth_state(files.get(e.person_id), today) for e in pupils)


def test_ten_flagged_pupils_get_one_file_state_each_in_turn(school_a, school_clerk, district_admin):
    # given ten pupils flagged 学困生 at school A
    for index in range(10):
        flagged(school_a, name=f"学生{index}")
    # when the demo writes their files, then each story's state shows, and a rerun adds none
    assert growth_demo_setup(actor=district_admin, school=school_a.org_unit) == 9
    expected = Counter(STATE_OF_STORY[s] for s in GROWTH_STORIES)
    assert _states(school_clerk, 2025) == expected
    # this term's reviews: three reviewed files and the exited one (planned ones were last term)
    assert GrowthReview.objects.filter(on__gte=term_start(timezone.localdate())).count() == 4
    assert growth_demo_setup(actor=district_admin, school=school_a.org_unit) == 0
    assert GrowthFile.objects.count() == 9


def test_the_demo_clerk_works_the_files_of_their_school_and_a_second_run_adds_none(db):
    call_command("setup_demo", scale="tiny")
    clerk = User.objects.get(username="clerk")
    states = _states(clerk, current_school_year())
    flagged_count = sum(states.values())
    expected = Counter(STATE_OF_STORY[GROWTH_STORIES[i % 10]] for i in range(flagged_count))
    assert states == expected
    assert GrowthFile.objects.for_user(clerk, Action.CARE).count() == GrowthFile.objects.count()
    assert GrowthFile.objects.count() == flagged_count - states[GrowthState.NO_FILE]
    call_command("setup_demo", scale="tiny")
    assert GrowthFile.objects.count() == flagged_count - states[GrowthState.NO_FILE]
