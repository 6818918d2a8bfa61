"""G-12 (乡村学困生成长档案和帮扶计划建立率) and the term's review rate from growth files,
worked by hand, and their drill-down of masked pupils."""

import datetime as dt

import pytest

from ruraledu.indicators.definitions import care as definitions
from ruraledu.indicators.drilldown import drill_records
from ruraledu.indicators.engine import PENDING, REGISTRY, Tree
from ruraledu.indicators.services import compute_year

from .. import services
from ..choices import GrowthExitReason
from .test_growth_services import flagged, open_file, review, set_plan

AS_OF = dt.date(2026, 6, 30)  # semester 2 of 2025—2026 began on 1 February
D = dt.date
CODES = ["rural_struggling_student_record_rate", "growth_file_term_review_rate"]


@pytest.fixture
def worked(monkeypatch, school_a, school_b, school_clerk, outsider, district):
    """School A is rural (220), school B urban (111). Flagged pupils, by hand:

    P1 A  file, plan 20 Sep, reviewed 10 Mar (this term)      G-12 yes · under plan, reviewed
    P2 A  file, no plan                                       G-12 no  · not under plan
    P3 A  no file                                             G-12 no
    P4 A  file, plan 10 Jul (after the day)                   G-12 no  · not under plan
    P6 A  plan 1 Oct, review 1 Dec, exited 1 May (caught up)  G-12 yes · exited by the day
    P7 A  plan 25 Sep, review 15 Nov (last term only)         G-12 yes · under plan, not reviewed
    Q1 B  plan 20 Sep, reviewed 1 Apr                         urban    · under plan, reviewed
    """
    monkeypatch.setattr(definitions, "as_of", lambda year: AS_OF)
    school_b.urban_rural_code = "111"
    school_b.save(update_fields=["urban_rural_code"])
    p1 = open_file(flagged(school_a, "甲一"), school_clerk)
    set_plan(p1, school_clerk, on=D(2025, 9, 20))
    review(p1, school_clerk, on=D(2026, 3, 10))
    open_file(flagged(school_a, "甲二"), school_clerk)
    flagged(school_a, "甲三")
    p4 = open_file(flagged(school_a, "甲四"), school_clerk)
    set_plan(p4, school_clerk, on=D(2026, 7, 10))
    p6 = open_file(flagged(school_a, "甲六"), school_clerk)
    set_plan(p6, school_clerk, on=D(2025, 10, 1))
    review(p6, school_clerk, on=D(2025, 12, 1))
    p6.refresh_from_db()
    services.growth_file_exit(
        file=p6,
        actor=school_clerk,
        version=p6.version,
        on=D(2026, 5, 1),
        reason=GrowthExitReason.CAUGHT_UP,
    )
    p7 = open_file(flagged(school_a, "甲七"), school_clerk)
    set_plan(p7, school_clerk, on=D(2025, 9, 25))
    review(p7, school_clerk, on=D(2025, 11, 15))
    q1 = open_file(flagged(school_b, "乙一"), outsider)
    set_plan(q1, outsider, on=D(2025, 9, 20))
    review(q1, outsider, on=D(2026, 4, 1))
    return compute_year(2025, [REGISTRY[c] for c in CODES], Tree())[0]


def test_g12_is_no_longer_pending():
    assert "rural_struggling_student_record_rate" not in PENDING
    assert "rural_struggling_student_record_rate" in REGISTRY


def test_record_rate_by_hand_counts_rural_flagged_pupils_with_a_plan(
    worked, school_a, school_b, district
):
    # school A: P1, P6, P7 of P1, P2, P3, P4, P6, P7; school B is urban and out of scope
    assert worked[("rural_struggling_student_record_rate", school_a.pk)][:3] == (50.0, 3, 6)
    assert ("rural_struggling_student_record_rate", school_b.pk) not in worked
    assert worked[("rural_struggling_student_record_rate", district.pk)][:3] == (50.0, 3, 6)


def test_review_rate_by_hand_counts_files_under_plan_reviewed_this_term(
    worked, school_a, school_b, district
):
    # under plan on 30 June: P1, P7 at A (P4's plan is later, P6 exited), Q1 at B
    assert worked[("growth_file_term_review_rate", school_a.pk)][:3] == (50.0, 1, 2)
    assert worked[("growth_file_term_review_rate", school_b.pk)][:3] == (100.0, 1, 1)
    rate, numerator, denominator = worked[("growth_file_term_review_rate", district.pk)][:3]
    assert (round(rate, 2), numerator, denominator) == (66.67, 2, 3)


def test_the_drill_down_lists_pupils_masked_and_the_leader_sees_no_names(
    worked, district, school_clerk, district_leader
):
    indicator = REGISTRY["rural_struggling_student_record_rate"]
    short = drill_records(
        indicator=indicator, part="short", unit=district, year=2025, user=school_clerk
    )
    rows = [short.render(r) for r in short.rows]
    assert sorted((r[0], r[3] != "未建档", r[4]) for r in rows) == [
        ("甲*", False, "无"),
        ("甲*", True, "无"),
        ("甲*", True, "无"),
    ]
    leader = drill_records(
        indicator=indicator, part="denominator", unit=district, year=2025, user=district_leader
    )
    assert leader.count() == 6
    assert {leader.render(r)[0] for r in leader.rows} == {"—"}
    files = drill_records(
        indicator=REGISTRY["growth_file_term_review_rate"],
        part="numerator",
        unit=district,
        year=2025,
        user=district_leader,
    )
    assert [files.render(r)[1:3] for r in files.rows] == [
        ["—", "甲镇中心小学"],
        ["—", "乙镇中心小学"],
    ]


def test_the_drill_down_of_masked_pupils_logs_no_read(client, worked, school_a, school_clerk):
    """The pupils are enrolments, as the roster's drill-down, but named 甲* only: neither the
    page nor its Excel is a read of a child's personal data, so the log stays empty."""
    from django.urls import reverse

    from ruraledu.core.models import PersonalDataAccess

    client.force_login(school_clerk)
    url = reverse("indicators:indicator_records", args=["rural_struggling_student_record_rate"])
    query = f"?unit={school_a.org_unit.code}&year=2025&part=denominator"
    page = client.get(url + query)
    assert page.status_code == 200 and "甲*" in page.content.decode()
    assert client.get(url + query + "&format=xlsx").status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_the_files_drill_down_shows_the_last_review_by_the_day(
    worked, district, school_clerk, district_leader
):
    """P7 was not reviewed this term on 30 June (its last review was in November) and is
    counted short; a review on 5 July must not show beside that count."""
    from ..models import GrowthFile

    p7 = GrowthFile.objects.get(person__name="甲七")
    review(p7, school_clerk, on=D(2026, 7, 5))
    short = drill_records(
        indicator=REGISTRY["growth_file_term_review_rate"],
        part="short",
        unit=district,
        year=2025,
        user=district_leader,
    )
    assert [short.render(r)[0::5] for r in short.rows] == [[f"#{p7.pk}", "2025-11-15"]]
