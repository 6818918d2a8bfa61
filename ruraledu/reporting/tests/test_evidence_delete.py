"""Deleting evidence asks for confirmation first, without needing a script: the link opens a
confirmation page, and only its form (confirm=yes) deletes."""

import pytest
from django.urls import reverse

from ruraledu.audit.models import AuditEvent
from ruraledu.reporting import services
from ruraledu.reporting.models import EvidenceFile

from .conftest import PDF, start


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


@pytest.fixture
def school_evidence(period, school_a, school_clerk):
    """A file on school A's draft, uploaded by its clerk."""
    report = start(period, school_clerk, org_unit=school_a.org_unit)
    return services.evidence_add(
        report=report, actor=school_clerk, data=PDF, filename="家访记录.pdf"
    )


def _delete(client, pk: int, **extra):
    return client.post(reverse("reporting:evidence_delete", args=[pk]), {"confirm": "yes"}, **extra)


def test_deleting_a_file_deleted_already_says_so_back_on_its_report(
    client, school_evidence, school_clerk
):
    # given the file deleted from one tab
    report = school_evidence.report
    client.force_login(school_clerk)
    assert _delete(client, school_evidence.pk).status_code == 302
    report.refresh_from_db()
    version = report.version
    # when it is deleted again (a double post), or its stale 删除 link opened in another tab
    again = _delete(client, school_evidence.pk, follow=True)
    link = client.get(reverse("reporting:evidence_delete", args=[school_evidence.pk]))
    # then both go back to the report's edit page, saying the file is gone already
    edit = reverse("reporting:report_edit", args=[report.pk])
    assert again.redirect_chain == [(edit, 302)]
    assert "该佐证材料已被删除，无需再次删除。" in again.content.decode()
    assert (link.status_code, link.url) == (302, edit)
    # and nothing is deleted, logged or audited again
    report.refresh_from_db()
    assert report.version == version
    assert report.events.filter(kind="evidence_removed").count() == 1
    audit = AuditEvent.objects.get(summary="删除佐证材料：家访记录.pdf")
    assert audit.before["evidence_id"] == school_evidence.pk  # what tells it from no file


def test_an_id_of_no_file_that_ever_was_stays_a_404(client, school_evidence, school_clerk):
    # given a file deleted on the same report: another id is still no file
    client.force_login(school_clerk)
    _delete(client, school_evidence.pk)
    never = school_evidence.pk + 1000
    assert _delete(client, never).status_code == 404
    assert client.get(reverse("reporting:evidence_delete", args=[never])).status_code == 404


def test_a_file_deleted_at_another_school_is_a_404_from_outside(
    client, school_evidence, school_clerk, outsider, district_leader, district_admin
):
    # given school A's file deleted by its clerk
    client.force_login(school_clerk)
    _delete(client, school_evidence.pk)
    # then another town's school, and a leader (who sees no drafts), get a 404, as for an id
    # of no file: not told it was deleted, nor sent to the report
    for user in (outsider, district_leader):
        client.force_login(user)
        response = _delete(client, school_evidence.pk)
        assert response.status_code == 404
        assert "该佐证材料已被删除" not in response.content.decode()
        assert (
            client.get(reverse("reporting:evidence_delete", args=[school_evidence.pk])).status_code
            == 404
        )
    # and the reviewer, who sees the draft but does not write it, is refused as for a file there
    client.force_login(district_admin)
    assert _delete(client, school_evidence.pk).status_code == 403
