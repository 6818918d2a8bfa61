"""Background document jobs: a document's PDF, made from its stored .docx."""

import logging

from django.core.files.base import ContentFile

from .choices import DocumentStatus
from .models import GeneratedDocument
from .pdf import PdfUnavailable, docx_to_pdf

logger = logging.getLogger(__name__)


def pdf_job_run(*, document_id: int) -> GeneratedDocument | None:
    """Convert the document's .docx to PDF and keep it beside; a failure is recorded on the
    document (the Word file stays downloadable)."""
    document = GeneratedDocument.objects.filter(pk=document_id).first()
    if document is None or not document.file:
        return None
    GeneratedDocument.objects.filter(pk=document.pk).update(pdf_status=DocumentStatus.RUNNING)
    try:
        with document.file.open("rb") as handle:
            pdf = docx_to_pdf(handle.read())
    except PdfUnavailable as failure:
        logger.warning("PDF of document %s failed: %s", document.pk, failure)
        GeneratedDocument.objects.filter(pk=document.pk).update(
            pdf_status=DocumentStatus.FAILED, message=str(failure)[:300]
        )
        document.refresh_from_db()
        return document
    document.pdf_file.save(f"{document.kind}.pdf", ContentFile(pdf), save=False)
    document.pdf_status = DocumentStatus.DONE
    document.save(update_fields=["pdf_file", "pdf_status"])
    return document
