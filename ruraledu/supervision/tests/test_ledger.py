"""问题台账's 逾期天数: the days past the deadline of an item the school still works on, blank
when not due yet, answered or closed; the same on the page and in the Excel export."""

import datetime as dt
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from .. import services
from .conftest import items_of, signed_visit_with_findings


def test_days_overdue_count_from_the_deadline_on_the_page_and_in_the_export(
    client, inspector, school_a, kind, school_clerk, district_leader
):
    # given three items notified to the school: two past their deadline, one answered
    today = timezone.localdate()
    late = today - dt.timedelta(days=12)
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=3)
    overdue, answered, due = items_of(findings[:2], inspector, deadline=late) + items_of(
        findings[2:], inspector, deadline=today + dt.timedelta(days=5)
    )
    services.notice_issue(actor=inspector, items=[overdue, answered, due], issued_on=today)
    answered.refresh_from_db()
    services.item_answer(
        actor=school_clerk, item=answered, version=answered.version, text="已整改完毕并复查"
    )
    client.force_login(district_leader)
    # when the ledger is read
    body = client.get(reverse("supervision:ledger")).content.decode()
    response = client.get(reverse("supervision:ledger") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    # then only the item still pending past its deadline counts its 12 days
    assert "<th>逾期天数</th>" in body
    assert body.count('<td data-testid="overdue">12</td>') == 1
    assert body.count('<td data-testid="overdue"></td>') == 2
    header = [cell.value for cell in sheet[1]]
    column = header.index("逾期天数")
    by_text = {row[3]: row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_text == {
        overdue.description: 12,
        answered.description: None,
        due.description: None,
    }
