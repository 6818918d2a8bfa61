"""Writes: generating a document and keeping it; uploading the final version beside it."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from ruraledu.plans.models import Plan
from ruraledu.reporting.evidence import EvidenceRefused, check_evidence

from . import engine
from .models import GeneratedDocument
from .periods import Period


@transaction.atomic
def progress_report_generate(*, plan: Plan, period: Period, actor) -> GeneratedDocument:
    """Render the plan's progress report for `period` from the stored figures and keep the
    file. Only the bureau may (anyone else gets 404, and nothing is created)."""
    kind = engine.KINDS["progress_report"]
    if not kind.allowed(actor):
        raise Http404
    data, context = engine.render(kind, plan=plan, period=period, user=actor)
    document = GeneratedDocument(
        kind=kind.code,
        title=context["title"],
        plan=plan,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        data_version=context["data_version"],
        generated_at=context["generated_at"],
        generated_by=actor,
    )
    document.file.save(f"{kind.code}.docx", ContentFile(data), save=False)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_final_upload(
    *, document: GeneratedDocument, actor, data: bytes, filename: str
) -> GeneratedDocument:
    """Keep the bureau's edited final version beside the generated one: a real .docx without
    macros or embedded programs (the evidence checks), else ValidationError."""
    if not GeneratedDocument.objects.for_user(actor).filter(pk=document.pk).exists():
        raise Http404
    if not (filename or "").lower().endswith(".docx"):
        raise ValidationError("定稿只接受 Word 文档（.docx）。")
    try:
        checked = check_evidence(data, filename)
    except EvidenceRefused as refused:
        raise ValidationError(refused.message) from refused
    document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
    old = document.final_file.name if document.final_file else ""
    document.final_file.save("final.docx", ContentFile(data), save=False)
    document.final_name = checked.name
    document.final_uploaded_at = timezone.now()
    document.final_uploaded_by = actor
    document.save(
        update_fields=["final_file", "final_name", "final_uploaded_at", "final_uploaded_by"]
    )
    if old:
        storage = document.final_file.storage
        transaction.on_commit(lambda: storage.delete(old))
    return document
