"""Certificates and closing evidence: checked like report evidence, stored, served only to
those who may see the case; no 因病休学 closure without the certificate."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ruraledu.audit.models import AuditEvent
from ruraledu.core.models import PersonalDataAccess

from .. import services
from ..choices import CaseFileKind, CaseStatus, CloseReason
from ..models import CaseFile, DropoutCase
from .conftest import CERTIFICATE_PDF, FOUND_ON, open_case, upload_certificate, walk


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sick(pupil, care_officer):
    """A case resolved as 因病休学, without its certificate yet."""
    case = walk(open_case(pupil, care_officer), care_officer, CaseStatus.CONTACTING)
    services.case_resolve(
        case=case,
        actor=care_officer,
        version=case.version,
        outcome=CaseStatus.SICK_LEAVE,
        on=FOUND_ON,
        certificate_number="ZB-2025-001",
        certificate_issuer="区人民医院",
    )
    case.refresh_from_db()
    return case


def _close(case, actor):
    case.refresh_from_db()
    return services.case_close(
        case=case, actor=actor, version=case.version, reason=CloseReason.SICK_LEAVE, on=FOUND_ON
    )


def test_a_sick_leave_case_cannot_close_without_its_certificate(sick, care_officer):
    with pytest.raises(ValidationError) as refused:
        _close(sick, care_officer)
    assert refused.value.messages == ["因病休学结案前，请先上传医院诊断证明（PDF 或图片）。"]
    assert DropoutCase.objects.get(pk=sick.pk).status == CaseStatus.SICK_LEAVE


def test_with_the_certificate_uploaded_it_closes(sick, care_officer):
    # when the officer uploads the certificate
    upload_certificate(sick, care_officer)
    # then it is stored with its checks' facts, logged and audited, and the case closes
    stored = CaseFile.objects.get(case=sick)
    assert (stored.kind, stored.original_name, stored.size) == (
        CaseFileKind.CERTIFICATE,
        "诊断证明.pdf",
        len(CERTIFICATE_PDF),
    )
    with stored.file.open("rb") as handle:
        assert handle.read() == CERTIFICATE_PDF
    assert (
        AuditEvent.objects.filter(summary="控辍保学个案：上传医院诊断证明（因病休学）").count() == 1
    )
    assert _close(sick, care_officer).status == CaseStatus.CLOSED


def test_a_disguised_file_is_refused_and_nothing_is_stored(sick, care_officer):
    with pytest.raises(ValidationError) as refused:
        services.case_file_add(
            case=sick,
            actor=care_officer,
            version=sick.version,
            kind=CaseFileKind.CERTIFICATE,
            data=b"MZ\x90\x00 program",
            filename="诊断证明.pdf",
        )
    assert refused.value.messages == [
        "文件“诊断证明.pdf”的内容是Windows 可执行程序，不是PDF 文件，已拒绝上传。请上传真实的PDF 文件。"
    ]
    assert not CaseFile.objects.exists()


def test_the_upload_page_stores_the_file_and_only_those_who_see_the_case_download_it(
    client, sick, care_officer, outsider, district_leader, district_admin
):
    # when the officer uploads through the case page
    client.force_login(care_officer)
    response = client.post(
        reverse("care:case_file_add", args=[sick.pk]),
        {
            "version": sick.version,
            "kind": CaseFileKind.CERTIFICATE,
            "file": SimpleUploadedFile("证明.pdf", CERTIFICATE_PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    stored = CaseFile.objects.get(case=sick)
    url = reverse("care:case_file", args=[stored.pk])
    assert "证明.pdf" in client.get(reverse("care:case_detail", args=[sick.pk])).content.decode()
    # then the officer and the bureau download it, each download logged
    for user in (care_officer, district_admin):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == CERTIFICATE_PDF
        assert response["Content-Disposition"].startswith("attachment")
    assert PersonalDataAccess.objects.filter(purpose="case_file").count() == 2
    # and another school's clerk and the read-only leader get 404
    for user in (outsider, district_leader):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert (
            client.post(
                reverse("care:case_file_add", args=[sick.pk]),
                {
                    "version": sick.version,
                    "kind": CaseFileKind.CLOSURE,
                    "file": SimpleUploadedFile("x.pdf", CERTIFICATE_PDF, "application/pdf"),
                },
            ).status_code
            == 404
        )
    assert CaseFile.objects.count() == 1


def test_an_upload_without_its_kind_is_not_filed_as_a_certificate(client, sick, care_officer):
    client.force_login(care_officer)
    page = client.get(reverse("care:case_detail", args=[sick.pk])).content.decode()
    assert '<option value="" selected>请选择</option>' in page
    response = client.post(
        reverse("care:case_file_add", args=[sick.pk]),
        {
            "version": sick.version,
            "kind": "",
            "file": SimpleUploadedFile("证明.pdf", CERTIFICATE_PDF, "application/pdf"),
        },
        follow=True,
    )
    assert "请选择材料类别。" in response.content.decode()
    assert not CaseFile.objects.exists()


def test_the_town_office_gets_the_childs_files_only_once_the_case_is_escalated_to_it(
    client, sick, care_officer, town_officer
):
    # given a certificate whose file name names the child, on a case the town sees masked
    client.force_login(care_officer)
    client.post(
        reverse("care:case_file_add", args=[sick.pk]),
        {
            "version": sick.version,
            "kind": CaseFileKind.CERTIFICATE,
            "file": SimpleUploadedFile("王小明诊断证明.pdf", CERTIFICATE_PDF, "application/pdf"),
        },
    )
    url = reverse("care:case_file", args=[CaseFile.objects.get().pk])
    # then the town office sees that a certificate is there, but neither its name nor its file
    client.force_login(town_officer)
    page = client.get(reverse("care:case_detail", args=[sick.pk])).content.decode()
    assert "王小明诊断证明" not in page and 'data-testid="file-withheld"' in page
    assert client.get(url).status_code == 404
    assert not PersonalDataAccess.objects.filter(user=town_officer).exists()
    # once the case is escalated to the town, the child is named to it, and so are the files
    DropoutCase.objects.filter(pk=sick.pk).update(status=CaseStatus.ESCALATED_TOWN)
    assert client.get(url).status_code == 200
    assert PersonalDataAccess.objects.filter(user=town_officer, purpose="case_file").count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 64, "证明.pdf", "Windows 可执行程序"),
        (CERTIFICATE_PDF, "证明.exe", "不支持“.exe”文件"),
    ],
    ids=["disguised", "type"],
)
def test_a_refused_file_keeps_the_chosen_kind(
    client, settings, sick, care_officer, data, name, message
):
    client.force_login(care_officer)
    response = client.post(
        reverse("care:case_file_add", args=[sick.pk]),
        {
            "version": sick.version,
            "kind": CaseFileKind.CLOSURE,
            "file": SimpleUploadedFile(name, data),
        },
    )
    # then the case page comes back with the reason and 结案佐证材料 still chosen
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'<option value="{CaseFileKind.CLOSURE}" selected>' in page
    # and nothing is stored
    assert not CaseFile.objects.exists()
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))
