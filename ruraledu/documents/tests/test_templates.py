"""Templates the bureau edits: a new version is used by the next report; a broken one (corrupt,
macro-enabled, a placeholder missing, unknown or misplaced) is refused with a message naming
it, and the template in use stays; every upload is audited; only the bureau may."""

import io
import os
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.urls import reverse
from docx import Document

from ruraledu.audit.models import AuditEvent
from ruraledu.documents.models import DocumentTemplate
from ruraledu.documents.periods import period_parse
from ruraledu.documents.services import document_template_upload, progress_report_generate

from .helpers import docx_bytes, read_docx


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def upload(client, name: str, data: bytes):
    return client.post(
        reverse("documents:template_upload", args=["progress_report"]),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def own_template() -> bytes:
    return docx_bytes(
        "淄川区教育和体育局文件",
        "川教体字〔2026〕1号",
        "{{ title }}",
        "区政府：现将{{ period }}《{{ plan }}》推进情况报告如下。",
        "{{ body }}",
        "{{ issuer }}",
        "{{ date }}",
    )


def test_the_next_report_uses_the_uploaded_template(zichuan_plan, district_admin, client):
    # given the bureau's own template, uploaded on the templates page
    client.force_login(district_admin)
    page = upload(client, "我局报告模板.docx", own_template()).content.decode()
    template = DocumentTemplate.objects.get()
    assert template.version == 1 and template.original_name == "我局报告模板.docx"
    assert "已启用进展情况报告模板 第1版" in page
    assert template.placeholders == ["body", "date", "issuer", "period", "plan", "title"]
    # when the next report is generated
    document = progress_report_generate(
        plan=zichuan_plan, period=period_parse("2024-Y"), actor=district_admin
    )
    # then its text is the template's, with the placeholders filled and the body in place
    texts = [p.text for p in read_docx(document.file).paragraphs]
    assert texts[:4] == [
        "淄川区教育和体育局文件",
        "川教体字〔2026〕1号",
        f"{zichuan_plan.title}2024年度进展情况报告",
        f"区政府：现将2024年度《{zichuan_plan.title}》推进情况报告如下。",
    ]
    assert texts[5] == "一、总体情况"
    assert "〔正文由平台生成〕" not in texts
    assert texts[-1].endswith("日") and texts[-2] == "区教育和体育局"
    assert document.template == template
    # the 公文 styles still apply to the bureau's template
    assert read_docx(document.file).styles["Normal"].font.size.pt == 16
    # the upload is in the audit trail
    event = AuditEvent.objects.get(object_id=str(template.pk), action="upload")
    assert event.after["version"] == 1 and "我局报告模板.docx" in event.summary


def test_a_second_upload_is_a_new_version_and_the_first_is_kept(zichuan_plan, district_admin):
    document_template_upload(
        kind_code="progress_report", actor=district_admin, data=own_template(), filename="a.docx"
    )
    second = document_template_upload(
        kind_code="progress_report",
        actor=district_admin,
        data=docx_bytes("第二版", "{{ title }}", "{{ body }}"),
        filename="b.docx",
    )
    assert second.version == 2
    assert list(DocumentTemplate.objects.values_list("version", flat=True)) == [2, 1]
    document = progress_report_generate(
        plan=zichuan_plan, period=period_parse("2024-Y"), actor=district_admin
    )
    assert read_docx(document.file).paragraphs[0].text == "第二版"


def test_two_first_uploads_at_once_the_second_is_told_in_chinese(district_admin, monkeypatch):
    # given the kind's first version, uploaded a moment ago by another bureau user
    first = document_template_upload(
        kind_code="progress_report", actor=district_admin, data=own_template(), filename="a.docx"
    )
    # when a second upload read the versions before the first was committed
    aggregate = QuerySet.aggregate
    monkeypatch.setattr(
        QuerySet,
        "aggregate",
        lambda qs, *a, **kw: (
            {"v": None} if qs.model is DocumentTemplate else aggregate(qs, *a, **kw)
        ),
    )
    # and, the first not yet committed, passed the model's check too
    monkeypatch.setattr(DocumentTemplate, "validate_constraints", lambda self, exclude=None: None)
    folder = os.path.dirname(first.file.name)
    stored = set(default_storage.listdir(folder)[1])
    with pytest.raises(ValidationError) as refused:
        document_template_upload(
            kind_code="progress_report",
            actor=district_admin,
            data=own_template(),
            filename="b.docx",
        )
    # then the database's unique index refuses it, told in Chinese (was a server error)
    assert refused.value.messages == [
        "进展情况报告模板第1版刚由他人上传，本次上传未保存。请刷新页面查看正在使用的模板，需要时再上传。"
    ]
    assert list(DocumentTemplate.objects.all()) == [first]
    # and the refused file is not left in storage
    assert set(default_storage.listdir(folder)[1]) == stored
    kind = ContentType.objects.get_for_model(DocumentTemplate)
    assert AuditEvent.objects.filter(content_type=kind).count() == 1
    assert AuditEvent.objects.for_record(content_type=kind, object_id=first.pk).count() == 1


def _macro_docx() -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(own_template())) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("坏模板.docx", b"PK\x03\x04 broken zip", "坏模板.docx"),
        (
            "宏模板.docm",
            docx_bytes("{{ title }}", "{{ body }}"),
            "“宏模板.docm”是启用宏的 Word 文档",
        ),
        ("宏.docx", None, "宏"),
        ("无正文.docx", docx_bytes("{{ title }}"), "“无正文.docx”缺少必需的占位符：{{ body }}"),
        (
            "错字.docx",
            docx_bytes("{{ title }}", "{{ body }}", "{{ titel }}"),
            "“错字.docx”中有未知的占位符：{{ titel }}",
        ),
        (
            "正文不单独.docx",
            docx_bytes("{{ title }}", "正文：{{ body }}"),
            "占位符 {{ body }} 必须单独成段",
        ),
        ("语法.docx", docx_bytes("{{ title }}", "{{ body }", ""), "“语法.docx”中的占位符写法有误"),
        ("报告.pdf", b"%PDF-1.4", "“报告.pdf”不是 Word 文档（.docx）"),
        (
            "越权.docx",
            docx_bytes("{{ title.__class__.__mro__ }}", "{{ body }}"),
            "“越权.docx”中的占位符使用了不允许的写法",
        ),
    ],
)
def test_a_broken_template_is_refused_and_the_one_in_use_stays(
    zichuan_plan, district_admin, client, name, data, message
):
    # given a template in use
    first = document_template_upload(
        kind_code="progress_report", actor=district_admin, data=own_template(), filename="a.docx"
    )
    events = AuditEvent.objects.count()
    client.force_login(district_admin)
    # when a broken one is uploaded
    page = upload(client, name, _macro_docx() if data is None else data).content.decode()
    # then it is refused, naming the problem, and nothing changed
    assert "模板未更换：" in page
    assert message in page.replace("&#x27;", "'").replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert list(DocumentTemplate.objects.all()) == [first]
    assert AuditEvent.objects.count() == events
    document = progress_report_generate(
        plan=zichuan_plan, period=period_parse("2024-Y"), actor=district_admin
    )
    assert read_docx(document.file).paragraphs[0].text == "淄川区教育和体育局文件"


def test_the_service_names_the_missing_placeholder(district_admin):
    with pytest.raises(ValidationError) as refused:
        document_template_upload(
            kind_code="progress_report",
            actor=district_admin,
            data=docx_bytes("{{ body }}"),
            filename="t.docx",
        )
    assert refused.value.messages == ["“t.docx”缺少必需的占位符：{{ title }}（文档标题）。"]


@pytest.mark.parametrize("persona", ["district_leader", "town_officer", "school_clerk"])
def test_only_the_bureau_sees_and_replaces_templates(client, zichuan_plan, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("documents:template_list")).status_code == 404
    response = client.post(
        reverse("documents:template_upload", args=["progress_report"]),
        {"file": SimpleUploadedFile("t.docx", own_template())},
    )
    assert response.status_code == 404
    assert DocumentTemplate.objects.count() == 0
    download = reverse("documents:template_download", args=["progress_report", 0])
    assert client.get(download).status_code == 404


def test_the_bureau_downloads_the_default_template_with_its_placeholders(
    client, zichuan_plan, district_admin
):
    client.force_login(district_admin)
    page = client.get(reverse("documents:template_list")).content.decode()
    assert "默认模板" in page and "{{ period }}" in page
    response = client.get(reverse("documents:template_download", args=["progress_report", 0]))
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert texts[:3] == ["{{ title }}", "{{ stamp }}", "{{ body }}"]
