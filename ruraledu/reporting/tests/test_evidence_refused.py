"""A refused evidence upload shows the edit page again: the chosen 对应目标 kept, the reason
beside the form, nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ruraledu.reporting.models import EvidenceFile

from .conftest import PDF


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 64, "印发文件.pdf", "Windows 可执行程序"),
        (PDF, "程序.exe", "不支持“.exe”文件"),
        (PDF + b"0" * 2048, "大文件.pdf", "单个佐证材料不能超过"),
    ],
    ids=["disguised", "type", "size"],
)
def test_a_refused_upload_keeps_the_chosen_target(
    client, settings, media_root, draft, department_reporter, milestone, data, name, message
):
    settings.REPORTING_EVIDENCE_MAX_BYTES = 1024
    client.force_login(department_reporter)
    response = client.post(
        reverse("reporting:evidence_upload", args=[draft.pk]),
        {"file": SimpleUploadedFile(name, data), "target": milestone.pk},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'<option value="{milestone.pk}" selected>' in page
    assert response.context["upload_form"]["target"].value() == str(milestone.pk)
    assert not EvidenceFile.objects.exists()
    assert not any(path.is_file() for path in media_root.rglob("*"))
    draft.refresh_from_db()
    assert draft.version == 1
