"""Templates the bureau edits: the default ones, and the checks an uploaded one must pass
(a real .docx without macros, placeholders that parse, every required one present, none
unknown, {{ body }} alone in its paragraph). A refused upload leaves the template in use."""

import io

from django.core.exceptions import ValidationError
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from ruraledu.reporting.evidence import EvidenceRefused, check_evidence

from . import engine
from .gongwen import apply_gongwen

# the paragraphs of a default template, (style, text, alignment)
FRAMES = {
    "notice": [
        ("Title", "{{ title }}", None),
        ("公文表格", "{{ number }}", WD_ALIGN_PARAGRAPH.CENTER),
        ("NoIndent", "{{ addressee }}：", None),
        ("Normal", "{{ body }}", None),
        ("Signature", "{{ issuer }}", WD_ALIGN_PARAGRAPH.RIGHT),
        ("Signature", "{{ date }}", WD_ALIGN_PARAGRAPH.RIGHT),
    ],
    "report": [
        ("Title", "{{ title }}", None),
        ("公文表格", "{{ stamp }}", WD_ALIGN_PARAGRAPH.CENTER),
        ("Normal", "{{ body }}", None),
        ("Signature", "{{ issuer }}", WD_ALIGN_PARAGRAPH.RIGHT),
        ("Signature", "{{ date }}", WD_ALIGN_PARAGRAPH.RIGHT),
    ],
}


def default_template(kind: engine.Kind) -> bytes:
    document = Document()
    apply_gongwen(document)
    frame = FRAMES["notice" if "addressee" in kind.placeholders else "report"]
    for style, text, alignment in frame:
        paragraph = document.add_paragraph(text, style=style)
        if alignment is not None:
            paragraph.alignment = alignment
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def template_check(kind: engine.Kind, data: bytes, filename: str) -> list[str]:
    """The placeholders of an uploaded template, or ValidationError saying what is wrong
    (naming the file and the placeholder)."""
    name = filename or "模板"
    lower = name.lower()
    if lower.endswith((".docm", ".dotm")):
        raise ValidationError(f"“{name}”是启用宏的 Word 文档，模板只接受不含宏的 .docx 文件。")
    if not lower.endswith(".docx"):
        raise ValidationError(f"“{name}”不是 Word 文档（.docx），模板只接受 .docx 文件。")
    try:
        check_evidence(data, name)
    except EvidenceRefused as refused:
        raise ValidationError(refused.message) from refused
    try:
        template = DocxTemplate(io.BytesIO(data))
        used = set(template.get_undeclared_template_variables(jinja_env=SandboxedEnvironment()))
    except TemplateSyntaxError as error:
        raise ValidationError(
            f"“{name}”中的占位符写法有误（第 {error.lineno} 处附近：{error.message}）。"
            "占位符应写作 {{ 名称 }}。"
        ) from error
    except Exception as error:  # a zip that python-docx cannot read as a Word document
        raise ValidationError(f"“{name}”已损坏或不是有效的 Word 文档，无法打开。") from error
    allowed = kind.placeholder_help()
    unknown = sorted(used - set(allowed))
    if unknown:
        raise ValidationError(
            f"“{name}”中有未知的占位符：{'、'.join('{{ ' + u + ' }}' for u in unknown)}。"
            f"可用的占位符：{'、'.join(allowed)}。"
        )
    missing = [p for p in engine.REQUIRED_PLACEHOLDERS if p not in used]
    if missing:
        raise ValidationError(
            f"“{name}”缺少必需的占位符：{'、'.join('{{ ' + m + ' }}' for m in missing)}"
            f"（{'；'.join(allowed[m] for m in missing)}）。"
        )
    _check_body_alone(kind, data, name)
    return sorted(used)


def _check_body_alone(kind: engine.Kind, data: bytes, name: str) -> None:
    """Fill the template with sample text: {{ body }} must stand alone in its paragraph."""
    values = {p: f"示例{p}" for p in kind.placeholder_help()}
    values["body"] = engine.BODY_MARKER
    try:
        document = engine.fill(data, values)
    except SecurityError as error:
        raise ValidationError(
            f"“{name}”中的占位符使用了不允许的写法，占位符只能写作 {{{{ 名称 }}}}。"
        ) from error
    except Exception as error:
        raise ValidationError(f"“{name}”无法按占位符填写：{error}") from error
    if engine.body_paragraph(document) is None:
        raise ValidationError(
            f"“{name}”中的占位符 {{{{ body }}}} 必须单独成段（正文由平台生成，插在该段的位置）。"
        )
