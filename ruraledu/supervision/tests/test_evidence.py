"""A school's evidence files: downloaded with the item page's permission (out of scope 404),
always as an attachment; the inspector opens them from the item page when verifying."""

import datetime as dt

import pytest
from django.urls import reverse

from .. import services
from ..models import AnswerEvidence
from .conftest import items_of, jpeg, signed_visit_with_findings


@pytest.fixture
def evidence(inspector, school_a, kind, school_clerk):
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    (item,) = items_of(findings, inspector)
    services.notice_issue(actor=inspector, items=[item], issued_on=dt.date(2025, 9, 23))
    item.refresh_from_db()
    services.item_answer(
        actor=school_clerk,
        item=item,
        version=item.version,
        text="已清理消防通道",
        files=[(jpeg(), "整改后.jpg")],
    )
    return AnswerEvidence.objects.get()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("inspector", 200),
        ("school_clerk", 200),
        ("town_officer", 200),
        ("district_leader", 200),
        ("outsider", 404),
        ("other_inspector", 404),
    ],
)
def test_evidence_downloads_in_scope_and_is_not_found_outside(
    client, request, evidence, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("supervision:evidence_download", args=[evidence.pk]))
    assert response.status_code == status
    if status == 200:
        body = b"".join(response.streaming_content)
        assert body == evidence.file.open("rb").read() and len(body) == evidence.size
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Security-Policy"] == "sandbox"


def test_anonymous_is_sent_to_login(client, evidence):
    response = client.get(reverse("supervision:evidence_download", args=[evidence.pk]))
    assert response.status_code == 302


def test_the_inspector_sees_the_evidence_link_when_verifying(client, inspector, evidence):
    client.force_login(inspector)
    page = client.get(reverse("supervision:item_detail", args=[evidence.answer.item_id]))
    html = page.content.decode()
    assert reverse("supervision:evidence_download", args=[evidence.pk]) in html
    assert "核查通过，销号" in html and "整改后.jpg" in html
