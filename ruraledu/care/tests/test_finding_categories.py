"""The cross-check's rows say which lists a child is on and which roster flags are unset
(残疾、孤儿 …): categories, which go with the name (students.privacy). A viewer who sees the
name masked sees how many lists and that flags are missing, not which, on the list, the
clear page and the export."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ..choices import FindingKind, ListKind
from ..models import Finding
from .conftest import YEAR, make_pupil
from .test_crosscheck import put_on, run, village_a  # noqa: F401 (fixture)

CATEGORIES = ("残疾", "孤儿")


@pytest.fixture
def flagged(school_a, village_a):  # noqa: F811
    """A pupil of school A on the disability and orphan lists, neither flagged on the roster."""
    pupil = make_pupil(school_a, name="吴重点")
    for kind in (ListKind.DISABLED, ListKind.ORPHAN):
        put_on(kind, pupil.id_number(), "吴重点", village_a)
    run()
    return {f.kind: f for f in Finding.objects.all()}


def _list(client, kind) -> str:
    url = f"{reverse('care:finding_list', args=[kind])}?year={YEAR}"
    return client.get(url).content.decode().split('data-testid="finding-list"')[1]


def _clear_page(client, finding) -> str:
    body = client.get(reverse("care:finding_clear", args=[finding.pk])).content.decode()
    return body.split("<h1")[1]


def _export(client, kind) -> tuple:
    url = f"{reverse('care:finding_export', args=[kind])}?year={YEAR}"
    data = b"".join(client.get(url).streaming_content)
    [row] = openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True)
    return row[6], row[7]  # 所在名单, 情况


def test_a_masked_row_shows_how_many_lists_and_no_category(client, flagged, town_officer):
    # given the town office, which sees the pupil of school A masked
    client.force_login(town_officer)
    # the priority list: two lists, flags missing, and the facts (school, grade)
    body = _list(client, FindingKind.PRIORITY)
    assert "吴*点" in body and "在 2 个名单中" in body
    assert "甲镇中心小学7年级；学生名册有未标记的类别" in body
    assert [word for word in CATEGORIES if word in body] == []
    # the list of children on several lists: how many, not which
    body = _list(client, FindingKind.MULTI_LIST)
    assert "同时在 2 个重点名单中" in body
    assert [word for word in CATEGORIES if word in body] == []
    # the clear page and the export say no more
    page = _clear_page(client, flagged[FindingKind.PRIORITY])
    assert "学生名册有未标记的类别" in page
    assert [word for word in CATEGORIES if word in page] == []
    assert _export(client, FindingKind.PRIORITY) == (
        "在 2 个名单中（类别不予显示）",
        "甲镇中心小学7年级；学生名册有未标记的类别",
    )
    assert _export(client, FindingKind.MULTI_LIST)[1] == "同时在 2 个重点名单中"


def test_a_row_shown_by_name_shows_its_categories(client, flagged, care_officer):
    client.force_login(care_officer)
    body = _list(client, FindingKind.PRIORITY)
    assert "吴重点" in body and "残疾儿童名单" in body and "孤儿名单" in body
    assert "学生名册未标记：残疾、孤儿" in body
    assert "同时在：残疾儿童名单、孤儿名单" in _list(client, FindingKind.MULTI_LIST)
    assert "学生名册未标记：残疾、孤儿" in _clear_page(client, flagged[FindingKind.PRIORITY])
    assert _export(client, FindingKind.PRIORITY) == (
        "残疾儿童名单、孤儿名单",
        "甲镇中心小学7年级；学生名册未标记：残疾、孤儿",
    )
