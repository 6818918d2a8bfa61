"""A refused post of an item's page (figure, evidence, review, threshold, the 质量监测 import)
comes back on the item's page (400) with what was typed, each error on its field or the
service's reason above the form, and nothing written."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ruraledu.audit.models import AuditEvent
from ruraledu.evaluation.choices import Framework
from ruraledu.evaluation.forms import FigureForm, ThresholdForm
from ruraledu.evaluation.models import (
    AnnualFigure,
    Evaluation,
    ExpertReview,
    ItemEvidence,
    MonitoringResult,
)
from ruraledu.evaluation.services import evaluation_close

from .conftest import PDF, YEAR, item
from .test_registry_pages import _workbook


def _at(name, code=None):
    args = ["D", Framework.YZJH, YEAR] + ([code] if code else [])
    return reverse(f"evaluation:{name}", args=args)


def _written():
    return (
        Evaluation.objects.count(),
        AnnualFigure.objects.count(),
        ItemEvidence.objects.count(),
        ExpertReview.objects.count(),
        MonitoringResult.objects.count(),
        AuditEvent.objects.count(),
    )


def test_an_invalid_figure_comes_back_as_typed_and_stores_no_evaluation(
    client, frameworks, district, district_admin
):
    # given an evaluation nobody has started
    client.force_login(district_admin)
    before = _written()
    # when the bureau types a value that is no number, with a note and the source chosen
    posted = {
        "value": "5五",
        "note": "据2025年统计报表",
        "source": SimpleUploadedFile("名额.pdf", PDF),
    }
    response = client.post(_at("item_figure", "G13"), posted)
    # then the item's page comes back with the entries and the error under the value
    body = response.content.decode()
    said = FigureForm({"value": "5五"}).errors["value"][0]
    assert response.status_code == 400
    assert 'id="fig_value" class="form-control is-invalid" required value="5五"' in body
    assert f'id="fig_value_error" role="alert">{said}' in body
    assert 'value="据2025年统计报表"' in body
    # the file is not kept by the browser: the page says it has to be chosen again
    assert "已选择的“名额.pdf”没有保存" in body
    # and nothing is written, not even the evaluation
    assert _written() == before


def test_a_figure_the_service_refuses_says_why_above_the_form(client, yzjh, district_admin):
    # given an evaluation already ended
    evaluation_close(evaluation=yzjh, actor=district_admin)
    client.force_login(district_admin)
    before = _written()
    # when the bureau enters a figure with its source document
    posted = {"value": "55", "note": "补报", "source": SimpleUploadedFile("名额.pdf", PDF)}
    response = client.post(_at("item_figure", "G13"), posted)
    # then the reason is above the form and the entries are kept
    body = response.content.decode()
    assert response.status_code == 400
    form = body[body.index('action="' + _at("item_figure", "G13")) :]
    assert form.index('data-testid="step-error">') < form.index('id="fig_value"')
    assert "结束并冻结，不能再修改" in form
    assert 'name="value" id="fig_value" class="form-control" required value="55"' in body
    assert 'value="补报"' in body
    assert _written() == before


def test_refused_evidence_says_why_and_stores_nothing(client, yzjh, district_admin):
    client.force_login(district_admin)
    before = _written()
    # no file chosen: the error is under the file field
    response = client.post(_at("item_evidence", "G01"), {})
    body = response.content.decode()
    assert response.status_code == 400
    assert (
        'id="id_file" class="form-control w-auto is-invalid" required aria-invalid="true"' in body
    )
    assert 'id="id_file_error" role="alert">该字段是必填项。' in body
    # a file the service refuses: its reason above the form
    upload = SimpleUploadedFile("规划.exe", b"MZ\x90\x00 not a document")
    response = client.post(_at("item_evidence", "G01"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400
    refusal = body[body.index('data-testid="step-error">') :]
    assert refusal.index("</div>") < refusal.index('id="id_file"')
    assert _written() == before


def test_a_refused_review_keeps_the_comment_and_a_closed_one_says_why_at_the_top(
    client, yzjh, district_admin
):
    client.force_login(district_admin)
    before = _written()
    # a verdict not on the list: the comment comes back as typed, the error under the verdict
    posted = {"verdict": "maybe", "comment": "规划未经审批，<需补充>。"}
    response = client.post(_at("item_review", "G01"), posted)
    body = response.content.decode()
    assert response.status_code == 400
    assert ">\n规划未经审批，&lt;需补充&gt;。</textarea>" in body
    assert 'id="id_verdict_error" role="alert">' in body
    # the evaluation ended, the form is no longer on the page: the reason is above the page
    evaluation_close(evaluation=yzjh, actor=district_admin)
    before = _written()
    response = client.post(_at("item_review", "G01"), {"verdict": "pass", "comment": "好"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "未保存：" in body and "结束并冻结，不能再修改" in body
    assert "提交评审意见" not in body
    assert _written() == before


def test_a_refused_threshold_comes_back_as_typed_and_changes_nothing(
    client, frameworks, district, district_admin
):
    client.force_login(district_admin)
    g13 = item(Framework.YZJH, "G13")
    stored = (g13.threshold, g13.provisional)
    before = _written()
    response = client.post(_at("item_threshold", "G13"), {"threshold": "八十", "provisional": "on"})
    body = response.content.decode()
    said = ThresholdForm({"threshold": "八十"}).errors["threshold"][0]
    assert response.status_code == 400
    assert 'id="th_value" class="form-control is-invalid" value="八十"' in body
    assert f'id="th_value_error" role="alert">{said}' in body
    assert 'id="th_prov" class="form-check-input" checked' in body
    g13.refresh_from_db()
    assert (g13.threshold, g13.provisional) == stored
    assert _written() == before


def test_a_refused_monitoring_import_comes_back_on_the_item_page(
    client, yzjh, district_admin, district_leader
):
    client.force_login(district_admin)
    before = _written()
    url = _at("monitoring_import")
    # no file: the error under the file field
    response = client.post(url, {})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="mon_file_error" role="alert">请选择质量监测结果文件。' in body
    # a file that is no workbook: its problem under the file field
    response = client.post(url, {"file": SimpleUploadedFile("监测.xlsx", b"not a workbook")})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="mon_file" class="form-control w-auto is-invalid"' in body
    assert 'id="mon_file_error" role="alert">' in body
    # rejected rows: the summary and each cell's error above the form
    data = _workbook(("四年级", "数学", "Ⅲ级", 0.1), ("八年级", "艺术", "Ⅱ级", 1.5))
    response = client.post(url, {"file": SimpleUploadedFile("监测.xlsx", data)})
    body = response.content.decode()
    assert response.status_code == 400
    assert "导入被拒绝：共 1 处错误，未写入任何结果。" in body
    assert "第 4 行“校际差异率”列" in body
    assert _written() == before
    # whoever may not import gets the 404 whether the post is valid or not
    client.force_login(district_leader)
    assert client.post(url, {}).status_code == 404
