"""The document engine: a kind of document is one .docx template with placeholders (the bureau
may upload its own; templates/documents/ holds the default) and one context builder plus the
body it writes. Adding a kind is adding an entry to KINDS (catalogue.py).

Rendering: docxtpl fills the template's placeholders ({{ title }}, {{ stamp }}, ...); the
paragraph holding {{ body }} is then replaced by the body python-docx writes (headings, real
Word tables, charts), and the 公文 styles are applied. Every figure of a document comes from
one data version: the version is read before and after the context is built, and the build is
repeated when a recomputation landed in between."""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from docx import Document
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from ruraledu.indicators.versions import data_version, version_label

from .gongwen import apply_gongwen

VERSION_ATTEMPTS = 3
BODY_MARKER = "〔正文由平台生成〕"

# the placeholders every template may use, and what they hold (shown on the template page)
COMMON_PLACEHOLDERS = {
    "title": "文档标题",
    "stamp": "数据版本与生成时间（如“（数据版本：…；生成时间：…）”）",
    "data_version": "数据版本",
    "generated_at": "生成时间（如“2026年12月04日 10:30”）",
    "date": "成文日期（如“2026年12月4日”）",
    "issuer": "发文机关（区教体局名称）",
    "body": "正文（须单独成段，由平台按数据生成）",
}
REQUIRED_PLACEHOLDERS = ("title", "body")


class DataVersionMoved(Exception):
    """The computed data kept changing while a document was being built."""


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    template: str  # file name under templates/documents/
    build_context: Callable[..., dict]
    write_body: Callable[[object, dict], None]
    allowed: Callable[[object], bool]  # who makes one (and uploads its final version)
    # kind-specific placeholders: name -> (description, context -> text)
    placeholders: dict[str, tuple[str, Callable[[dict], str]]] = field(default_factory=dict)
    versioned: bool = True  # its figures come from stored indicator values
    issuer: Callable[[dict], str] | None = None  # 发文机关 when not the bureau
    dated: Callable[[dict], object] | None = None  # 成文日期 when not the day it is made
    write_after: Callable[[object, dict], None] | None = None  # after the 落款 (a receipt)
    # who reads one about a unit within their reach, when more than `allowed` do
    readable: Callable[[object], bool] | None = None

    def may_read(self, user) -> bool:
        return (self.readable or self.allowed)(user)

    def placeholder_help(self) -> dict[str, str]:
        return {**COMMON_PLACEHOLDERS, **{k: v[0] for k, v in self.placeholders.items()}}


def template_path(kind: Kind) -> Path:
    return Path(settings.BASE_DIR) / "templates" / "documents" / kind.template


def issuer() -> str:
    return getattr(settings, "DOCUMENT_ISSUER", "") or "区教育和体育局"


def placeholder_values(kind: Kind, context: dict) -> dict[str, str]:
    generated_at = context["generated_at"]
    version = version_label(context.get("data_version", ""))
    stamp = f"（生成时间：{generated_at:%Y年%m月%d日 %H:%M}）"
    if version:
        stamp = f"（数据版本：{version}；生成时间：{generated_at:%Y年%m月%d日 %H:%M}）"
    day = kind.dated(context) if kind.dated else generated_at
    values = {
        "title": context["title"],
        "stamp": stamp,
        "data_version": version,
        "generated_at": f"{generated_at:%Y年%m月%d日 %H:%M}",
        "date": f"{day.year}年{day.month}月{day.day}日",
        "issuer": kind.issuer(context) if kind.issuer else issuer(),
        "body": BODY_MARKER,
    }
    for name, (_, value_of) in kind.placeholders.items():
        values[name] = value_of(context)
    return values


def fill(template: bytes, values: dict[str, str]):
    """The template with its placeholders filled (text escaped), as a python-docx Document."""
    filled = DocxTemplate(io.BytesIO(template))
    # the bureau uploads templates: a sandbox keeps their expressions away from Python internals
    filled.render(values, jinja_env=SandboxedEnvironment(autoescape=True))
    buffer = io.BytesIO()
    filled.save(buffer)
    return Document(io.BytesIO(buffer.getvalue()))


def body_paragraph(document):
    for paragraph in document.paragraphs:
        if paragraph.text.strip() == BODY_MARKER:
            return paragraph
    return None


def write_at_marker(document, write: Callable[[object], None]) -> None:
    """Let `write` append to the document, then move what it wrote to where {{ body }} stood."""
    marker = body_paragraph(document)
    body = document.element.body
    # lxml keeps one proxy per node while it is referenced, so ids tell old from new
    old = list(body)
    old_ids = {id(element) for element in old}
    write(document)
    if marker is None:
        return
    for element in [e for e in body if id(e) not in old_ids]:
        marker._p.addprevious(element)
    marker._p.getparent().remove(marker._p)


def build(kind: Kind, **params) -> dict:
    """The context of a document: built again when the data moved while it was read."""
    if not kind.versioned:
        return kind.build_context(**params)
    for _ in range(VERSION_ATTEMPTS):
        version = data_version()
        context = kind.build_context(**params)
        if data_version() == version:
            context["data_version"] = version
            return context
    raise DataVersionMoved("数据正在重新计算，请稍后再生成。")


def render(kind: Kind, *, template: bytes | None = None, **params) -> tuple[bytes, dict]:
    """The .docx bytes of a document of `kind` and the context it was made from (which holds
    `data_version` and `generated_at`). `template`: the template in use (default file when
    None)."""
    context = build(kind, **params)
    return render_context(kind, context, template=template), context


def render_context(kind: Kind, context: dict, *, template: bytes | None = None) -> bytes:
    if template is None:
        template = template_path(kind).read_bytes()
    document = fill(template, placeholder_values(kind, context))
    apply_gongwen(document)
    write_at_marker(document, lambda d: kind.write_body(d, context))
    if kind.write_after:
        kind.write_after(document, context)
    properties = document.core_properties
    properties.title = context["title"]
    version = context.get("data_version", "")
    properties.subject = f"数据版本 {version_label(version)}" if version else kind.label
    # the raw version stays machine-readable here, for tools that match documents to data
    properties.comments = (
        f"data_version={version}; generated_at={context['generated_at']:%Y-%m-%dT%H:%M:%S%z}"
    )
    properties.author = "乡村教育振兴监测督导平台"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
