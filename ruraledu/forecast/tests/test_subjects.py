"""缺编/超编 by subject: worked by hand on a small school, then the page, its scope, the Excel
export and the bureau's edits of the lesson hours (checked, audited)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ruraledu.audit.models import AuditEvent
from ruraledu.forecast.models import StaffingRule
from ruraledu.forecast.services import forecast_run_create
from ruraledu.forecast.subjects import parse_hours, school_subjects

SUBJECTS = reverse("forecast:subjects")


def _by_subject(rows):
    return {r["subject"]: r for r in rows}


def test_a_two_class_primary_school_by_hand():
    # grades 1 and 2, one class each; a teacher teaches 14 lessons a week. 语文 8 + 8 = 16
    # lessons: 1.1 teachers, 1 needed; the school has 3: 超编 2. 数学 4 + 4 = 8 (0.6): 1 needed,
    # none held: 缺编 1. 音乐 2 + 2 (0.3): still one teacher. 英语 starts in grade 3: not listed.
    rows = _by_subject(school_subjects({1: 1, 2: 1}, {"chinese": 3}, StaffingRule()))
    assert (rows["chinese"]["lessons"], rows["chinese"]["demand"]) == (16, 1.1)
    assert (rows["chinese"]["needed"], rows["chinese"]["over"], rows["chinese"]["short"]) == (
        1,
        2,
        0,
    )
    assert (rows["maths"]["needed"], rows["maths"]["short"]) == (1, 1)
    assert rows["music"]["demand"] == 0.3 and rows["music"]["short"] == 1
    assert "english" not in rows and "physics" not in rows


def test_junior_grades_use_the_junior_load_and_edited_hours():
    # six grade-7 classes, 12 lessons a teacher: 语文 6 × 5 = 30 lessons, 2.5 → 3 teachers;
    # with 语文 edited to 6 lessons in grade 7: 36 lessons, 3 teachers exactly
    rule = StaffingRule()
    assert _by_subject(school_subjects({7: 6}, {}, rule))["chinese"]["needed"] == 3
    rule.lesson_hours = {"chinese": [8, 8, 7, 7, 6, 6, 6, 5, 5]}
    row = _by_subject(school_subjects({7: 6}, {"chinese": 4}, rule))["chinese"]
    assert (row["lessons"], row["demand"], row["needed"], row["over"]) == (36, 3.0, 3, 1)


def test_bad_hours_are_refused_naming_the_line():
    with pytest.raises(Exception) as error:
        parse_hours("语文,8,8,7,7,6,6,5,5,5\n书法,1,1,1,1,1,1,0,0,0")
    assert "学科课时第 2 行“书法,1,1,1,1,1,1,0,0,0”：学科“书法”不在" in error.value.messages[0]
    with pytest.raises(Exception) as error:
        parse_hours("数学,4,4,5")
    assert error.value.messages == [
        "学科课时第 1 行“数学,4,4,5”：应为学科名加 1—9 年级共 9 个周课时数。"
    ]


@pytest.fixture
def run(rosters, district_admin):
    return forecast_run_create(actor=district_admin)


def test_the_page_and_the_export_in_scope(client, run, town_officer, district_admin):
    client.force_login(town_officer)
    page = client.get(SUBJECTS).content.decode()
    # 甲镇's school: three teachers without a registered subject, so every subject is short
    assert "甲镇中心小学" in page and "乙镇中心小学" not in page
    assert "语文 1" in page and 'data-testid="hours-form"' not in page
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("forecast:subjects_export")).content)
    )
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert rows and {r[1] for r in rows} == {"甲镇中心小学"}
    chinese = next(r for r in rows if r[2] == "语文")
    assert chinese[5:] == (1, 0, 1, 0)
    assert client.post(reverse("forecast:subjects_rule"), {}).status_code == 404


def test_the_bureau_edits_the_hours_audited(client, run, district_admin):
    client.force_login(district_admin)
    url = reverse("forecast:subjects_rule")
    bad = {"primary_weekly_lessons": "14", "junior_weekly_lessons": "12", "hours": "语文,x"}
    page = client.post(url, bad, follow=True).content.decode()
    assert "学科课时第 1 行“语文,x”" in page and not StaffingRule.objects.exists()
    good = {**bad, "primary_weekly_lessons": "16", "hours": "语文,9,9,7,7,6,6,5,5,5"}
    page = client.post(url, good, follow=True).content.decode()
    assert "已保存" in page
    rule = StaffingRule.objects.get()
    assert rule.primary_weekly_lessons == 16 and rule.lesson_hours["chinese"][0] == 9
    assert AuditEvent.objects.filter(summary="编制核定标准").count() == 1
