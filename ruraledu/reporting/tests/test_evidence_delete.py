"""Deleting evidence asks for confirmation first, without needing a script: the link opens a
confirmation page, and only its form (confirm=yes) deletes."""

import pytest
from django.urls import reverse

from ruraledu.reporting import services
from ruraledu.reporting.models import EvidenceFile

from .conftest import PDF


@pytest.fixture
def evidence(draft, department_reporter):
    return services.evidence_add(
        report=draft, actor=department_reporter, data=PDF, filename="印发文件.pdf"
    )


def test_the_edit_page_links_to_a_confirmation_instead_of_deleting(
    client, draft, evidence, department_reporter
):
    client.force_login(department_reporter)
    page = client.get(reverse("reporting:report_edit", args=[draft.pk])).content.decode()
    url = reverse("reporting:evidence_delete", args=[evidence.pk])
    assert f'href="{url}"' in page and f'action="{url}"' not in page


def test_the_confirmation_page_names_the_file_and_deletes_nothing(
    client, evidence, department_reporter
):
    client.force_login(department_reporter)
    response = client.get(reverse("reporting:evidence_delete", args=[evidence.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "确定要从" in page and "“印发文件.pdf”" in page and "确认删除" in page
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


def test_a_post_without_confirmation_only_shows_the_page_again(
    client, draft, evidence, department_reporter
):
    client.force_login(department_reporter)
    response = client.post(reverse("reporting:evidence_delete", args=[evidence.pk]))
    assert response.status_code == 200 and "确认删除" in response.content.decode()
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    draft.refresh_from_db()
    assert draft.version == 2  # the upload's, no more


def test_the_confirmed_post_deletes(client, draft, evidence, department_reporter):
    client.force_login(department_reporter)
    response = client.post(
        reverse("reporting:evidence_delete", args=[evidence.pk]), {"confirm": "yes"}, follow=True
    )
    assert "已删除佐证材料“印发文件.pdf”" in response.content.decode()
    assert not EvidenceFile.objects.filter(pk=evidence.pk).exists()


def test_others_get_no_confirmation_page(
    client, evidence, outsider, district_leader, district_admin
):
    url = reverse("reporting:evidence_delete", args=[evidence.pk])
    # out of scope (and a leader, who does not see drafts): 404
    for user in (outsider, district_leader):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "yes"}).status_code == 404
    # the reviewer sees the draft but does not write it
    client.force_login(district_admin)
    response = client.get(url)
    assert response.status_code == 403 and "只有本单位的填报员" in response.content.decode()
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    client.logout()
    assert client.get(url).status_code == 302


def test_a_submitted_reports_evidence_cannot_be_deleted(client, submitted, department_reporter):
    evidence = EvidenceFile.objects.get(report=submitted)
    client.force_login(department_reporter)
    response = client.get(reverse("reporting:evidence_delete", args=[evidence.pk]), follow=True)
    assert "不能删除佐证材料" in response.content.decode()
    response = client.post(
        reverse("reporting:evidence_delete", args=[evidence.pk]), {"confirm": "yes"}, follow=True
    )
    assert "报告已提交，正在审核中，不能修改" in response.content.decode()
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
