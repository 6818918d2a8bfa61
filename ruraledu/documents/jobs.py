"""Background document jobs: a document's PDF, made from its stored .docx."""

import logging

from django.core.files.base import ContentFile

from .choices import DocumentStatus
from .models import GeneratedDocument
from .pdf import PdfUnavailable, docx_to_pdf, docx_to_pdf_each

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


# documents per LibreOffice run: starting it costs as much as converting six reports, so runs
# are large; small enough that each worker gets about three (progress, the tail of the batch)
PDF_CHUNK_MIN, PDF_CHUNK_MAX = 4, 24


def pdf_chunk(total: int) -> int:
    return max(PDF_CHUNK_MIN, min(PDF_CHUNK_MAX, -(-total // (3 * pdf_workers()))))


def pdfs_or_failed(documents: list[bytes]) -> list[bytes | None]:
    """One LibreOffice run; a run that failed as a whole fails each of its documents."""
    try:
        return docx_to_pdf_each(documents)
    except PdfUnavailable as failure:
        logger.warning("PDF run of %s documents failed: %s", len(documents), failure)
        return [None] * len(documents)


def pdf_workers() -> int:
    from django.conf import settings

    return max(1, int(getattr(settings, "DOCUMENT_PDF_WORKERS", 2)))


def _progress(document_id: int, percent: int, message: str = "") -> None:
    GeneratedDocument.objects.filter(pk=document_id).update(
        status=DocumentStatus.RUNNING, progress=percent, message=message[:300]
    )


def batch_job_run(*, document_id: int) -> GeneratedDocument | None:
    """The diagnosis reports of a town's (or the district's) schools in the reach of the user
    who asked: every .docx from one data version, then their PDFs, in one zip."""
    import time

    document = (
        GeneratedDocument.objects.select_related("org_unit", "generated_by")
        .filter(pk=document_id)
        .first()
    )
    if document is None or document.status == DocumentStatus.DONE:
        return document
    started = time.monotonic()
    try:
        data, version, count, failed = _batch_zip(document)
    except Exception as failure:  # the job records the failure; the worker logs the traceback
        GeneratedDocument.objects.filter(pk=document.pk).update(
            status=DocumentStatus.FAILED, message=f"生成失败：{failure}"[:300]
        )
        raise
    document.file.save("diagnosis.zip", ContentFile(data), save=False)
    document.status = DocumentStatus.DONE
    document.progress = 100
    document.data_version = version
    document.message = f"共 {count} 所学校，用时 {time.monotonic() - started:.0f} 秒"
    if failed:
        names = "、".join(failed)
        document.message += (
            f"；{len(failed)} 所学校的 PDF 未能生成（压缩包中有其 Word 文件）：{names}"
        )
    document.message = document.message[:300]
    document.save(update_fields=["file", "status", "progress", "data_version", "message"])
    return document


def _batch_zip(document: GeneratedDocument) -> tuple[bytes, str, int, list[str]]:
    """Word files are written here while LibreOffice converts the ones already written in
    other threads (the subprocesses use the other core)."""
    import io
    import zipfile
    from concurrent.futures import ThreadPoolExecutor, wait

    from django.utils import timezone

    from ruraledu.indicators.versions import data_version
    from ruraledu.orgunits.models import OrgUnit

    from . import engine
    from .catalogue import KINDS
    from .services import template_bytes

    kind = KINDS["school_diagnosis"]
    actor, unit = document.generated_by, document.org_unit
    schools = list(
        OrgUnit.objects.for_user(actor)
        .filter(path__startswith=unit.path, kind="school")
        .select_related("parent")
        .order_by("path")
    )
    total = len(schools)
    template = template_bytes(document.template)
    year = document.parameters.get("year")
    now = timezone.now()
    chunk = pdf_chunk(total)

    def report(words: int, futures) -> None:
        converted = sum(len(chunk) for chunk, f in futures if f.done())
        _progress(
            document.pk,
            (words + converted) * 99 // (2 * total),
            f"已生成 Word {words}/{total}，PDF {converted}/{total}",
        )

    with ThreadPoolExecutor(max_workers=pdf_workers()) as pool:
        for _ in range(engine.VERSION_ATTEMPTS):
            version = data_version()
            words, futures, pending = [], [], []
            for school in schools:
                context = kind.build_context(school=school, user=actor, year=year, now=now)
                context["data_version"] = version
                data = engine.render_context(kind, context, template=template)
                words.append((school, data))
                pending.append(data)
                if len(pending) == chunk:
                    futures.append((pending, pool.submit(pdfs_or_failed, pending)))
                    pending = []
                if len(words) % 5 == 0:
                    report(len(words), futures)
            if pending:
                futures.append((pending, pool.submit(pdfs_or_failed, pending)))
            if data_version() == version:
                break
            wait([f for _, f in futures])  # a moved version: start again from the new one
        else:
            raise engine.DataVersionMoved("数据正在重新计算，请稍后再生成。")
        remaining = [f for _, f in futures]
        while remaining:
            _, not_done = wait(remaining, timeout=5)
            report(total, futures)
            remaining = list(not_done)
        pdfs = [pdf for _, future in futures for pdf in future.result()]
    buffer, failed = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for (school, word), pdf in zip(words, pdfs, strict=True):
            name = f"{school.code}-{school.name}诊断报告"
            if pdf is None:  # one school's failure is reported, the others are delivered
                failed.append(school.name)
            else:
                archive.writestr(f"{name}.pdf", pdf)
            archive.writestr(f"Word/{name}.docx", word)
    return buffer.getvalue(), version, total, failed
