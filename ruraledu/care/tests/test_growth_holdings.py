"""Where a growth file has been: each school that held it and from when, so a past day's
review rate stays with the school that held the file that day, and the file's page says
where it has been. Files taken over before this was kept get their past from the audit trail."""

import datetime as dt
import importlib

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record
from ruraledu.indicators.definitions import care as definitions
from ruraledu.indicators.engine import REGISTRY, Tree
from ruraledu.indicators.services import compute_year
from ruraledu.students.models import Enrolment

from .. import services
from ..models import GrowthFileHolding
from .test_growth_services import flagged, open_file
from .test_growth_transfer import moved, planned_file  # noqa: F401 (the file fixture)

CODE = "growth_file_term_review_rate"
END_OF_TERM = dt.date(2025, 12, 31)  # the file's review (20 Nov) falls in this term


def take_over(file, school, by):
    """The pupil moved to `school`, which takes the file over; the former school keeps
    another pupil (a school with no roster has no figure)."""
    flagged(file.school, "王小明")
    services.growth_file_take_over(enrolment=moved(file, school), actor=by)


def held(file):
    return [
        (h.school_id, h.held_from, h.held_until)
        for h in GrowthFileHolding.objects.filter(file=file)
    ]


def figures(monkeypatch, day, *schools):
    """(numerator, denominator) of the review rate of 2025 on `day` at each school."""
    monkeypatch.setattr(definitions, "as_of", lambda year: day)
    values = compute_year(2025, [REGISTRY[CODE]], Tree())[0]
    return [tuple((values.get((CODE, s.pk)) or (None, 0, 0))[1:3]) for s in schools]


def test_a_take_over_ends_one_holding_and_starts_the_next(file, school_a, school_b, outsider):
    assert held(file) == [(school_a.pk, None, None)]
    take_over(file, school_b, outsider)
    today = timezone.localdate()
    assert held(file) == [(school_a.pk, None, today), (school_b.pk, today, None)]


def test_a_past_day_counts_the_file_at_the_school_that_held_it_then(
    monkeypatch, file, school_a, school_b, outsider
):
    # given the file reviewed in its term at A
    assert figures(monkeypatch, END_OF_TERM, school_a, school_b) == [(1, 1), (0, 0)]
    # when B takes it over today
    take_over(file, school_b, outsider)
    # then that term's figure stays at A, and from today the file counts at B
    assert figures(monkeypatch, END_OF_TERM, school_a, school_b) == [(1, 1), (0, 0)]
    today = timezone.localdate()
    assert figures(monkeypatch, today, school_a, school_b) == [(0, 0), (0, 1)]


def test_the_drill_down_lists_the_file_under_the_school_that_held_it(
    monkeypatch, file, school_a, school_b, outsider, district, district_leader
):
    from ruraledu.indicators.drilldown import drill_records

    take_over(file, school_b, outsider)
    monkeypatch.setattr(definitions, "as_of", lambda year: END_OF_TERM)

    def rows(user):
        drill = drill_records(
            indicator=REGISTRY[CODE], part="numerator", unit=district, year=2025, user=user
        )
        return [drill.render(r)[:3] for r in drill.rows]

    # the leader sees the file under A, which held it that term, with no name
    assert rows(district_leader) == [[f"#{file.pk}", "—", "甲镇中心小学"]]
    # B's clerk holds the file now but not that term's figure, which is A's
    assert rows(outsider) == []


def test_the_page_says_where_the_file_has_been(client, file, school_b, outsider):
    client.force_login(outsider)
    take_over(file, school_b, outsider)
    page = client.get(reverse("care:growth_detail", args=[file.pk])).content.decode()
    where = page.split('data-testid="growth-holdings">')[1].split("</dd>")[0]
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert where == (f"甲镇中心小学（建档，{today} 移交） → 乙镇中心小学（{today} 接收，至今）")


def test_a_file_that_never_moved_says_nothing_of_it(client, file, school_clerk):
    client.force_login(school_clerk)
    page = client.get(reverse("care:growth_detail", args=[file.pk])).content.decode()
    assert "growth-holdings" not in page


def test_files_stored_before_get_their_past_from_the_audit_trail(
    file, school_a, school_b, school_clerk, outsider
):
    # given a file taken over and one that never moved, stored with no holdings
    take_over(file, school_b, outsider)
    still = open_file(Enrolment.objects.get(person__name="王小明"), school_clerk)
    expected = {file.pk: held(file), still.pk: held(still)}
    GrowthFileHolding.objects.all().delete()
    # when the migration fills them in
    migration = importlib.import_module("ruraledu.care.migrations.0007_growth_file_holding")
    migration.holdings_from_history(apps, None)
    # then each file has the holdings the services would have kept
    assert {file.pk: held(file), still.pk: held(still)} == expected
    assert expected[still.pk] == [(school_a.pk, None, None)]


def test_a_past_school_removed_since_leaves_no_holding_behind(file, school_a, school_b, outsider):
    # given a take-over recorded from a school whose row has since been removed by hand
    take_over(file, school_b, outsider)
    audit_record(
        actor=None,
        instance=file,
        action=AuditAction.UPDATE,
        before={"school": 10**9, "unit": 10**9},
        after={"school": school_b.pk, "unit": school_b.org_unit_id},
        summary="学困生成长档案：手工更正",
    )
    GrowthFileHolding.objects.all().delete()
    # when the migration fills in the holdings, then it neither fails nor names that school
    migration = importlib.import_module("ruraledu.care.migrations.0007_growth_file_holding")
    migration.holdings_from_history(apps, None)
    today = timezone.localdate()
    assert held(file) == [(school_a.pk, None, today), (school_b.pk, today, None)]
