"""Evidence files: checked by content, limited in size, stored outside the web root."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from ruraledu.reporting import services
from ruraledu.reporting.evidence import EvidenceRefused, check_evidence, clean_name
from ruraledu.reporting.models import EvidenceFile

from . import samples
from .conftest import PDF

PNG = samples.png()
JPEG = samples.JPEG
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run in DOS mode."
)
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
OLE = samples.ole({"WordDocument": samples.WORD_STREAM})
ooxml = samples.ooxml


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (PDF, "文件.pdf", "application/pdf"),
        (PNG, "现场照片.PNG", "image/png"),
        (JPEG, "照片.jpg", "image/jpeg"),
        (OLE, "旧版.doc", "application/msword"),
        (
            ooxml("word/document.xml"),
            "方案.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            ooxml("xl/workbook.xml"),
            "名单.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_it_accepts_real_documents(data, name, content_type):
    checked = check_evidence(data, name)
    assert (checked.content_type, checked.size) == (content_type, len(data))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (EXE, "印发文件.pdf", "Windows 可执行程序"),
        (EXE, "照片.jpg", "Windows 可执行程序"),
        (ELF, "名单.xlsx", "Linux 可执行程序"),
        (b"#!/bin/sh\nrm -rf /\n", "说明.docx", "脚本程序"),
        (b"<html><script>alert(1)</script></html>", "文件.pdf", "内容与扩展名不符"),
        (PDF, "照片.png", "内容与扩展名不符"),
        (ooxml("xl/workbook.xml"), "方案.docx", "内容与扩展名不符"),
        (ooxml("word/document.xml", {"word/vbaProject.bin": "x"}), "宏.docx", "含有宏"),
        (PDF + b"/OpenAction << /S /Launch /F (cmd.exe) >>", "文件.pdf", "启动程序"),
        (PDF, "程序.exe", "不支持“.exe”文件"),
        (PDF, "无扩展名", "不支持“无扩展名”文件"),
        (b"", "空.pdf", "文件是空的"),
    ],
)
def test_it_refuses_disguised_or_unsupported_files(data, name, message):
    with pytest.raises(EvidenceRefused, match=message):
        check_evidence(data, name)


def test_it_refuses_an_oversized_file(settings):
    settings.REPORTING_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(EvidenceRefused, match=r"文件过大（0.0 MB），单个佐证材料不能超过"):
        check_evidence(PDF + b"0" * 2048, "大文件.pdf")


def test_file_names_are_cleaned():
    assert clean_name("C:\\Users\\a\\..\\报告.pdf") == "报告.pdf"
    assert clean_name("../../etc/passwd\x00.pdf") == "passwd.pdf"
    assert len(clean_name("长" * 300 + ".pdf")) <= 200


def test_an_accepted_file_is_stored_outside_the_web_root(draft, department_reporter, milestone):
    # when
    evidence = services.evidence_add(
        report=draft,
        actor=department_reporter,
        data=PDF,
        filename="../印发文件.pdf",
        target=milestone,
    )
    # then it lives under MEDIA_ROOT with a generated name, not under static files
    path = Path(evidence.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert "印发文件" not in path.name and path.suffix == ".pdf"
    assert path.read_bytes() == PDF
    assert evidence.original_name == "印发文件.pdf"
    assert settings.MEDIA_URL in ("", "/")  # media is never served directly


def test_a_refused_upload_stores_nothing(draft, department_reporter, media_root):
    with pytest.raises(ValidationError, match="可执行程序"):
        services.evidence_add(report=draft, actor=department_reporter, data=EXE, filename="a.pdf")
    assert not EvidenceFile.objects.exists()
    assert not any(Path(media_root).rglob("*.*"))
    draft.refresh_from_db()
    assert draft.version == 1


def test_only_the_authors_upload(draft, district_admin, outsider):
    for user in (district_admin, outsider):
        with pytest.raises(Exception, match="只有本单位的填报员"):
            services.evidence_add(report=draft, actor=user, data=PDF, filename="a.pdf")
    assert not EvidenceFile.objects.exists()


def test_removing_evidence_deletes_the_file_after_commit(
    draft, department_reporter, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add(
        report=draft, actor=department_reporter, data=PDF, filename="a.pdf"
    )
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(evidence=evidence, actor=department_reporter)
    assert not path.exists()
    assert not EvidenceFile.objects.exists()


def test_evidence_loaded_before_someone_else_removed_it_is_not_removed_again(
    draft, department_reporter
):
    from ruraledu.audit.models import AuditEvent

    # given two authors with the same file on their screens
    added = services.evidence_add(
        report=draft, actor=department_reporter, data=PDF, filename="a.pdf"
    )
    seen_first, seen_second = (EvidenceFile.objects.get(pk=added.pk) for _ in range(2))
    services.evidence_remove(evidence=seen_first, actor=department_reporter)
    # when the second removes it from what it loaded earlier, it is told it is gone
    with pytest.raises(ValidationError, match="该佐证材料已被删除"):
        services.evidence_remove(evidence=seen_second, actor=department_reporter)
    # and the removal is recorded once, the report's version raised once
    assert AuditEvent.objects.filter(summary="删除佐证材料：a.pdf").count() == 1
    assert draft.events.filter(kind="evidence_removed").count() == 1
    draft.refresh_from_db()
    assert draft.version == 3  # the upload and the one removal
