"""The 优质均衡 page and the cockpit show the per-school rule as the engine stored it: each cell's
mark, each school's verdict, each 差异系数's result, the 85 % of the legend. The world is the
hand-made one of the indicator tests (P passes; J and N fail), so every expected mark is worked
out there (MARKS)."""

import re

import pytest
from django.urls import reverse

from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.services import recompute
from ruraledu.indicators.standards import reset_cache
from ruraledu.indicators.tests.test_people_quality_special import (  # noqa: F401 (fixture)
    MARKS,
    resources,
    set_standard,
)

SYMBOL = {"pass": "✓", "near": "△", "fail": "✗"}
CELL = {"pass": "pass", "partial": "near", "fail": "fail"}  # stored mark -> cell class


@pytest.fixture
def stored_world(zichuan_plan, resources):  # noqa: F811
    recompute(years=[2024])
    return resources


def school_rows(body: str) -> dict[str, tuple[list[str], str]]:
    """School name -> (the class of each of the seven cells, the verdict badge's words)."""
    table = body.split('data-testid="yzjh-schools"')[1].split("</table>")[0]
    rows = {}
    for row in table.split("<tr>")[2:]:
        name = re.search(r'<a href="[^"]*">([^<]+)</a>', row).group(1)
        cells = re.findall(r'<td class="text-end text-nowrap yz-(\w+)"', row)
        verdict = re.search(r'<span class="badge status-\w+">([^<]+)</span>', row).group(1)
        # the symbol of a cell is the one of its class (none: no symbol)
        for cell, text in zip(
            cells, re.findall(r"<td class=\"text-end[^>]*>(.*?)</td>", row), strict=True
        ):
            assert (SYMBOL.get(cell, "") in text) and text.count("yz-symbol") == (cell in SYMBOL)
        rows[name] = (cells, verdict)
    return rows


def cv_cells(body: str) -> list[str]:
    table = body.split('data-testid="cv-table"')[1].split("</table>")[0]
    return re.findall(r'<td class="text-end (yz-\w+|)">', table)


def yzjh_page(client) -> str:
    """The page's main content (the rest carries a per-request token)."""
    body = client.get(reverse("dashboards:yzjh"), {"year": 2024}).content.decode()
    return body.split("<main", 1)[1].split("</main>", 1)[0]


def cockpit_failing(client) -> str:
    body = client.get(reverse("dashboards:cockpit")).content.decode()
    return re.search(r"未达逐校标准的学校：<a[^>]*>(\d+ 所)</a>（共 (\d+) 所）", body).groups()


def test_the_page_shows_the_stored_marks_and_verdicts(client, district_leader, stored_world):
    # given the world computed and stored for 2024
    client.force_login(district_leader)
    # when the bureau's leader opens the 优质均衡 page
    body = yzjh_page(client)
    # then each school's cells carry the stored marks, in the hand-worked values of MARKS
    rows = school_rows(body)
    assert set(rows) == {"P", "J", "N"}  # E has no students, SP is a special school
    for name in ("P", "J", "N"):
        school = getattr(stored_world, name.lower())
        stored = {
            v.code: v.details
            for v in IndicatorValue.objects.filter(unit=school.org_unit, year=2024)
        }
        marks = [stored[f"yzjh_r{i}"]["mark"] for i in range(1, 8)]
        assert marks == MARKS[name.lower()]
        assert rows[name][0] == [CELL[m] for m in marks]
        verdict = stored["yzjh_school_compliance_rate"]["verdict"]
        assert rows[name][1] == ("达标" if verdict else "未达标")
    assert [rows[n][1] for n in ("P", "J", "N")] == ["达标", "未达标", "未达标"]
    assert "未达逐校标准的学校 <strong>2</strong> 所（共 3 所）" in body
    # and the 差异系数 cells follow the stored results: R1–R3 over the limit in both parts
    stored_cv = {
        v.code: v.details["mark"]
        for v in IndicatorValue.objects.filter(code__startswith="yzjh_cv_", year=2024)
    }
    expected = [
        f"yz-{stored_cv[f'yzjh_cv_r{i}_{part}']}"
        for i in range(1, 8)
        for part in ("primary", "junior")
    ]
    assert cv_cells(body) == expected
    assert expected == ["yz-fail"] * 6 + ["yz-pass"] * 8
    # and the cockpit counts the same failing schools
    assert cockpit_failing(client) == ("2 所", "3")


def test_a_changed_standard_shows_only_once_recomputed(client, district_leader, stored_world):
    client.force_login(district_leader)
    before = yzjh_page(client)
    assert school_rows(before)["J"] == (["pass"] * 4 + ["near", "fail", "pass"], "未达标")
    assert "△ 不低于标准的 85%" in before
    # when the bureau lowers the share a shortfall may fall to, from 85 % to 80 % (J's R6 is at
    # 80 % of its standard), the page does not judge by the new figure on its own
    set_standard("yzjh_partial", "", 0.80)
    reset_cache()
    assert yzjh_page(client) == before
    # then once recomputed J's R6 is marked △ and the legend says 80 %; J still has two
    # shortfalls (R5 and R6), so it still fails
    recompute(years=[2024])
    after = yzjh_page(client)
    assert school_rows(after)["J"] == (["pass"] * 4 + ["near", "near", "pass"], "未达标")
    assert "△ 不低于标准的 80%" in after
    # when the junior R5 standard falls to J's own 10.0 ㎡, J is short of R6 alone, at 80 %:
    # it complies, and the page and the cockpit count one failing school
    set_standard("yzjh_r5", "junior", 10.0)
    recompute(years=[2024])
    body = yzjh_page(client)
    assert school_rows(body)["J"] == (["pass"] * 5 + ["near", "pass"], "达标")
    assert "未达逐校标准的学校 <strong>1</strong> 所（共 3 所）" in body
    assert cockpit_failing(client) == ("1 所", "3")


def test_the_page_marks_by_the_exact_standard_not_its_rounded_copy(
    client, district_leader, zichuan_plan, district, town_a
):
    # a nine-year school of 10 primary and 20 junior pupils: its R4 standard is
    # (4.5·10 + 5.8·20)/30 = 5.3666…, stored as 5.3667; 161 ㎡ for 30 pupils is exactly at it
    from ruraledu.indicators.tests._people_data import facility, pupils, school
    from ruraledu.orgunits.choices import SchoolStage

    n = school(town_a, "N9", stage=SchoolStage.NINE_YEAR)
    pupils(n, 10, grade=3)
    pupils(n, 20, grade=8)
    facility(n, teaching_area=161)
    recompute(years=[2024])
    r4 = IndicatorValue.objects.get(code="yzjh_r4", unit=n.org_unit, year=2024)
    assert r4.details == {"threshold": 5.3667, "mark": "pass"}
    assert r4.value / r4.details["threshold"] < 1  # judged from the stored figures: short
    client.force_login(district_leader)
    # then the page shows the engine's ✓, not a △ worked out from the rounded standard
    cells, _ = school_rows(yzjh_page(client))["N9"]
    assert cells[3] == "pass"
