"""Writes: generating a document and keeping it (the PDF follows in the background); uploading
the final version beside it; uploading a new template version."""

from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from ruraledu.accounts.policy import is_bureau
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record
from ruraledu.core.locks import refused_if_taken
from ruraledu.plans.models import Plan
from ruraledu.reporting.evidence import EvidenceRefused, check_evidence

from . import engine
from .catalogue import KINDS
from .choices import DocumentStatus
from .models import DocumentTemplate, GeneratedDocument
from .periods import Period
from .templates import template_check


def template_in_use(kind_code: str) -> DocumentTemplate | None:
    """The newest uploaded template of a kind; None means the default file."""
    return DocumentTemplate.objects.filter(kind=kind_code).order_by("-version").first()


def template_bytes(template: DocumentTemplate | None) -> bytes | None:
    if template is None:
        return None
    with template.file.open("rb") as handle:
        return handle.read()


def document_keep(
    *, kind: engine.Kind, data: bytes, context: dict, actor, template, pdf: bool = True, **fields
) -> GeneratedDocument:
    """Store a rendered .docx and queue its PDF (made after commit by the task worker)."""
    title_check(context["title"], advice=context.get("title_advice", ""))
    document = GeneratedDocument(
        kind=kind.code,
        title=context["title"],
        data_version=context.get("data_version", ""),
        generated_at=context["generated_at"],
        generated_by=actor,
        template=template,
        pdf_status=DocumentStatus.QUEUED if pdf else "",
        **fields,
    )
    document.file.save(f"{kind.code}.docx", ContentFile(data), save=False)
    document.full_clean()
    document.save()
    if pdf:
        pdf_request(document=document)
    return document


def title_check(title: str, *, advice: str = "") -> None:
    """A title longer than a document's may be is refused in words, before any file is kept
    (`advice`: what to shorten)."""
    limit = GeneratedDocument._meta.get_field("title").max_length
    if len(title) > limit:
        raise ValidationError(
            f"文档标题不能超过 {limit} 字（本次为 {len(title)} 字），未生成。{advice}"
        )


def pdf_request(*, document: GeneratedDocument) -> None:
    from .tasks import render_document_pdf

    transaction.on_commit(partial(render_document_pdf.enqueue, document_id=document.pk))


@transaction.atomic
def progress_report_generate(
    *, plan: Plan, period: Period, actor, project_number: int | None = None
) -> GeneratedDocument:
    """Render the plan's progress report for `period` (of one key project with
    `project_number`) from the stored figures and keep the file. Only the bureau may (anyone
    else gets 404, and nothing is created)."""
    kind = KINDS["progress_report"]
    if not kind.allowed(actor):
        raise Http404
    if (
        project_number is not None
        and not plan.sections.filter(projects__number=project_number).exists()
    ):
        raise Http404
    template = template_in_use(kind.code)
    data, context = engine.render(
        kind,
        template=template_bytes(template),
        plan=plan,
        period=period,
        user=actor,
        project_number=project_number,
    )
    return document_keep(
        kind=kind,
        data=data,
        context=context,
        actor=actor,
        template=template,
        plan=plan,
        # the plan's district (or city): read by those who reach it; none on a one-district
        # install, whose plan belongs to the root
        org_unit=plan.org_unit,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        parameters={"project": project_number} if project_number is not None else {},
    )


@transaction.atomic
def document_final_upload(
    *, document: GeneratedDocument, actor, data: bytes, filename: str
) -> GeneratedDocument:
    """Keep the bureau's edited final version beside the generated one: a real .docx without
    macros or embedded programs (the evidence checks), else ValidationError."""
    # a write: only where the actor may change data (the reader of a district is not its bureau)
    if not GeneratedDocument.objects.for_user(actor, "change").filter(pk=document.pk).exists():
        raise Http404
    if document.status != DocumentStatus.DONE or document.extension != "docx":
        # a batch of PDFs (a zip), or a document still being made, has no Word draft to finalise
        raise ValidationError("该文档没有 Word 生成稿，不能上传定稿。")
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
    audit_record(
        actor=actor,
        instance=document,
        action=AuditAction.UPLOAD,
        after={"final_name": checked.name},
        summary=f"上传定稿“{checked.name}”",
    )
    if old:
        storage = document.final_file.storage
        transaction.on_commit(lambda: storage.delete(old))
    return document


@transaction.atomic
def document_template_upload(
    *, kind_code: str, actor, data: bytes, filename: str
) -> DocumentTemplate:
    """A new version of a kind's template, in use from the next document on. Only the bureau;
    a refused file (ValidationError naming the problem) leaves the template in use as it was."""
    kind = KINDS.get(kind_code)
    if kind is None or not is_bureau(actor):
        raise Http404
    placeholders = template_check(kind, data, filename)
    # the kind's row lock keeps two uploads from taking the same version number
    list(DocumentTemplate.objects.select_for_update().filter(kind=kind.code))
    latest = DocumentTemplate.objects.filter(kind=kind.code).aggregate(v=Max("version"))["v"]
    template = DocumentTemplate(
        kind=kind.code,
        version=(latest or 0) + 1,
        original_name=filename[:255],
        placeholders=placeholders,
        uploaded_at=timezone.now(),
        uploaded_by=actor,
    )
    template.file.save("template.docx", ContentFile(data), save=False)
    try:
        # the version is checked by the database: a kind's first upload has no row to lock,
        # so two at once both take version 1, and the second is refused here
        template.full_clean(validate_constraints=False)
        taken = (
            f"{kind.label}模板第{template.version}版刚由他人上传，本次上传未保存。"
            "请刷新页面查看正在使用的模板，需要时再上传。"
        )
        with refused_if_taken(taken):
            template.save()
    except Exception:
        template.file.delete(save=False)  # a refused upload leaves no file behind
        raise
    audit_record(
        actor=actor,
        instance=template,
        action=AuditAction.UPLOAD,
        after={
            "kind": kind.code,
            "version": template.version,
            "original_name": template.original_name,
            "placeholders": placeholders,
        },
        summary=f"上传{kind.label}模板第{template.version}版“{template.original_name}”",
    )
    return template


def unit_in_reach(*, unit, actor):
    """`unit` as the actor may see it, else 404 (as for a unit that does not exist)."""
    from ruraledu.orgunits.models import OrgUnit

    found = OrgUnit.objects.for_user(actor).filter(pk=unit.pk).first()
    if found is None:
        raise Http404
    return found


@transaction.atomic
def school_diagnosis_generate(*, school, actor, year: int | None = None) -> GeneratedDocument:
    """One school's diagnosis report, now (the PDF follows in the background)."""
    kind = KINDS["school_diagnosis"]
    if not kind.allowed(actor) or school.kind != "school":
        raise Http404
    unit_in_reach(unit=school, actor=actor)
    template = template_in_use(kind.code)
    data, context = engine.render(
        kind, template=template_bytes(template), school=school, user=actor, year=year
    )
    return document_keep(
        kind=kind,
        data=data,
        context=context,
        actor=actor,
        template=template,
        org_unit=school,
        period_label=f"{context['year']}学年" if context["year"] else "",
        parameters={"year": context["year"]},
    )


@transaction.atomic
def school_diagnosis_batch_start(*, unit, actor, year: int | None = None) -> GeneratedDocument:
    """The diagnosis reports of every school under `unit` (a town, or the district) in the
    actor's reach, as one zip of PDFs made in the background with progress."""
    from ruraledu.orgunits.models import OrgUnit

    from .tasks import render_document_batch

    kind = KINDS["school_diagnosis"]
    if not kind.allowed(actor) or unit.kind == "school":
        raise Http404
    unit_in_reach(unit=unit, actor=actor)
    schools = OrgUnit.objects.for_user(actor).filter(path__startswith=unit.path, kind="school")
    if not schools.exists():
        raise ValidationError(f"{unit.name}没有可生成诊断报告的学校。")
    document = GeneratedDocument(
        kind=kind.code,
        title=f"{unit.name}各校诊断报告",
        org_unit=unit,
        generated_at=timezone.now(),
        generated_by=actor,
        template=template_in_use(kind.code),
        status=DocumentStatus.QUEUED,
        parameters={"year": year, "batch": True},
        period_label=f"{year}学年" if year else "",
    )
    document.full_clean()
    document.save()
    transaction.on_commit(partial(render_document_batch.enqueue, document_id=document.pk))
    return document


@transaction.atomic
def self_assessment_generate(*, actor, framework: str, year: int | None = None, unit: str = ""):
    """A district's 自评报告 of `framework` (优质均衡 or 普及普惠), by the bureau of the district
    coded `unit` (default: the actor's first)."""
    from .self_assessment import TITLES

    kind = KINDS["self_assessment"]
    if not kind.allowed(actor) or framework not in TITLES:
        raise Http404
    template = template_in_use(kind.code)
    data, context = engine.render(
        kind,
        template=template_bytes(template),
        user=actor,
        framework=framework,
        year=year,
        unit=unit,
    )
    return document_keep(
        kind=kind,
        data=data,
        context=context,
        actor=actor,
        template=template,
        period_label=f"{context['year']}学年" if context["year"] else "",
        parameters={"framework": framework, "year": context["year"]},
        org_unit=context["root"],  # read by those who reach the district
    )


def notice_document(*, kind_code: str, notice, fmt: str, actor) -> tuple[bytes, str]:
    """A notice as .docx or PDF, rendered now from the record its app keeps (not stored). The
    caller has checked that the actor may print that notice."""
    from .pdf import docx_to_pdf

    kind = KINDS[kind_code]
    if fmt not in ("docx", "pdf") or not kind.allowed(actor):
        raise Http404
    template = template_in_use(kind.code)
    data, context = engine.render(kind, template=template_bytes(template), notice=notice)
    label = kind.placeholders["number"][1](context)
    name = f"{kind.label}{label}"
    if fmt == "pdf":
        return docx_to_pdf(data), f"{name}.pdf"
    return data, f"{name}.docx"
