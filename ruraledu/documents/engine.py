"""The document engine: a kind of document is one .docx template (styles, page set-up, the
公文 look; under templates/documents/) and one context builder plus the body it writes. Adding
a kind is adding an entry to KINDS.

Every figure of a document comes from one data version: the version is read before and after
the context is built, and the build is repeated when a recomputation landed in between."""

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from docx import Document

from ruraledu.accounts.policy import is_bureau
from ruraledu.indicators.versions import data_version

from . import progress_report
from .gongwen import apply_gongwen

VERSION_ATTEMPTS = 3


class DataVersionMoved(Exception):
    """The computed data kept changing while a document was being built."""


@dataclass(frozen=True)
class Kind:
    code: str
    template: str  # file name under templates/documents/
    build_context: Callable[..., dict]
    write_body: Callable[[object, dict], None]
    allowed: Callable[[object], bool]


KINDS: dict[str, Kind] = {
    "progress_report": Kind(
        code="progress_report",
        template="progress_report.docx",
        build_context=progress_report.build_context,
        write_body=progress_report.write_body,
        allowed=is_bureau,
    ),
}


def template_path(kind: Kind) -> Path:
    return Path(settings.BASE_DIR) / "templates" / "documents" / kind.template


def render(kind: Kind, **params) -> tuple[bytes, dict]:
    """The .docx bytes of a document of `kind` and the context it was made from (which holds
    `data_version` and `generated_at`)."""
    for _ in range(VERSION_ATTEMPTS):
        version = data_version()
        context = kind.build_context(**params)
        if data_version() == version:
            break
    else:
        raise DataVersionMoved("数据正在重新计算，请稍后再生成。")
    context["data_version"] = version
    document = Document(str(template_path(kind)))
    apply_gongwen(document)
    kind.write_body(document, context)
    properties = document.core_properties
    properties.title = context["title"]
    properties.subject = f"数据版本 {version}"
    properties.comments = (
        f"data_version={version}; generated_at={context['generated_at']:%Y-%m-%dT%H:%M:%S%z}"
    )
    properties.author = "乡村教育振兴监测督导平台"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), context
