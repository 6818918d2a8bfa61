"""Every evidence file of a report is listed on the report page, grouped by the report line it
belongs to (a milestone, a measured target, or 其他佐证材料 for the whole report), and each
link downloads the file for those who may see the report and for no one else."""

import lxml.html
import pytest
from django.urls import reverse

from ruraledu.reporting import selectors, services
from ruraledu.reporting.models import EvidenceFile

from .conftest import PDF, fill
from .factories import MeasuredFactory


def downloads(element) -> list:
    """The download links under `element` (never a delete link)."""
    return [
        a
        for a in element.xpath(".//a[contains(@href, '/evidence/')]")
        if "delete" not in a.get("href")
    ]


def groups_on_page(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(line label, [(file name, link)]) in page order, from the evidence section."""
    tree = lxml.html.fromstring(html)
    (section,) = tree.xpath('//*[@data-testid="evidence-by-line"]')
    return [
        (
            group.get("data-line"),
            [(a.text_content().strip(), a.get("href")) for a in downloads(group)],
        )
        for group in section.xpath(".//*[@data-line]")
    ]


@pytest.fixture
def report_with_evidence(draft, department_reporter, milestone, measured):
    # given a report with a file on its milestone (P01-1), one on its measured target (P01-2)
    # and one for the whole report, then submitted
    report = fill(draft, department_reporter, milestone)
    for name, target in (("补充教师名单.pdf", measured), ("总体情况说明.pdf", None)):
        services.evidence_add(
            report=report, actor=department_reporter, data=PDF, filename=name, target=target
        )
    report.refresh_from_db()
    return services.report_submit(
        report=report, actor=department_reporter, expected_version=report.version
    )


def link(name: str) -> str:
    return reverse(
        "reporting:evidence_download", args=[EvidenceFile.objects.get(original_name=name).pk]
    )


@pytest.mark.parametrize("persona", ["district_admin", "department_reporter"])
def test_every_file_of_the_submitted_report_has_a_link_on_its_page(
    request, client, report_with_evidence, persona
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("reporting:report_detail", args=[report_with_evidence.pk]))
    page = response.content.decode()
    for name in ("印发文件.pdf", "补充教师名单.pdf", "总体情况说明.pdf"):
        assert f'href="{link(name)}"' in page, name
    assert "其他佐证材料" in page


@pytest.mark.parametrize("persona", ["district_admin", "department_reporter"])
def test_reviewer_and_author_see_every_file_grouped_by_line(
    request, client, report_with_evidence, persona
):
    # when the reviewer or the author opens the submitted report
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("reporting:report_detail", args=[report_with_evidence.pk]))
    # then each file is under its line, with a download link
    assert response.status_code == 200
    assert groups_on_page(response.content.decode()) == [
        ("P01-1", [("印发文件.pdf", link("印发文件.pdf"))]),
        ("P01-2", [("补充教师名单.pdf", link("补充教师名单.pdf"))]),
        ("其他佐证材料", [("总体情况说明.pdf", link("总体情况说明.pdf"))]),
    ]


def test_the_measured_targets_file_is_not_lost_from_the_measured_table(
    client, report_with_evidence, district_admin
):
    client.force_login(district_admin)
    page = client.get(reverse("reporting:report_detail", args=[report_with_evidence.pk]))
    tree = lxml.html.fromstring(page.content.decode())
    (table,) = tree.xpath('//*[@data-testid="measured-lines"]')
    assert [a.text_content() for a in downloads(table)] == ["补充教师名单.pdf"]
    # and 其他佐证材料 lists only the report-level file
    (other,) = tree.xpath('//*[@data-testid="general-evidence"]')
    assert [a.text_content() for a in downloads(other)] == ["总体情况说明.pdf"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("district_admin", 200),
        ("department_reporter", 200),
        ("school_clerk", 404),
        ("outsider", 404),
    ],
)
def test_the_links_download_only_for_those_who_may_see_the_report(
    request, client, report_with_evidence, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(link("补充教师名单.pdf"))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert "filename*=utf-8" in response["Content-Disposition"]


def test_a_file_on_a_target_without_a_line_is_grouped_under_that_target(
    report_with_evidence, project, district_admin
):
    # given a target added to the project after the report was started (it has no line),
    # and a file that was attached to it
    late = MeasuredFactory(project=project, code="P01-9", text="后补目标")
    EvidenceFile.objects.filter(original_name="总体情况说明.pdf").update(target=late)
    # when the groups are read
    detail = selectors.report_detail(user=district_admin, report=report_with_evidence)
    # then the file is still listed, under its own target
    assert [(g.key, [f.original_name for f in g.files]) for g in detail["evidence_groups"]] == [
        ("P01-1", ["印发文件.pdf"]),
        ("P01-2", ["补充教师名单.pdf"]),
        ("P01-9", ["总体情况说明.pdf"]),
    ]
