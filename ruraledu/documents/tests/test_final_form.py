"""The 定稿 upload form is offered only where it works: on a finished Word document, to a
user who may change it; the read-only leader and a batch still being made get none."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ruraledu.documents.choices import DocumentStatus
from ruraledu.documents.models import GeneratedDocument

LIST = reverse("documents:document_list")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def _document(unit, user, **fields) -> GeneratedDocument:
    return GeneratedDocument.objects.create(
        kind="school_diagnosis",
        title=f"{unit.name}诊断报告",
        org_unit=unit,
        generated_at=timezone.now(),
        generated_by=user,
        **fields,
    )


@pytest.fixture
def word(school_a, district_leader):
    document = _document(school_a.org_unit, district_leader)
    document.file.save("report.docx", ContentFile(b"PK\x03\x04 word"), save=True)
    return document


@pytest.fixture
def batch(town_a, district_admin):
    # a town's zip of PDFs, queued: it has no file yet
    return _document(town_a, district_admin, status=DocumentStatus.QUEUED)


def _upload_forms(client) -> list[str]:
    page = client.get(LIST).content.decode()
    return [line for line in page.splitlines() if "/final/upload/" in line]


def test_the_read_only_leader_is_offered_no_final_upload(client, word, batch, district_leader):
    client.force_login(district_leader)
    page = client.get(LIST).content.decode()
    assert word.title in page and batch.title in page
    assert _upload_forms(client) == []


def test_the_bureau_finalises_a_word_document_but_not_a_batch(client, word, batch, district_admin):
    client.force_login(district_admin)
    forms = _upload_forms(client)
    assert len(forms) == 1 and f"/documents/{word.pk}/final/upload/" in forms[0]
    # and a final posted to the batch anyway is refused, nothing kept
    final = SimpleUploadedFile("定稿.docx", b"PK\x03\x04 word")
    client.post(reverse("documents:document_final_upload", args=[batch.pk]), {"file": final})
    batch.refresh_from_db()
    assert not batch.final_file
