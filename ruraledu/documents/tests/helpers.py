"""Reading generated documents back: python-docx for Word, pdftotext/pdffonts for PDF."""

import datetime as dt
import io
import subprocess
import tempfile

from django.utils import timezone
from docx import Document

from ruraledu.indicators.models import TargetStatusChange


def read_docx(field):
    with field.open("rb") as handle:
        return Document(io.BytesIO(handle.read()))


def docx_text(docx) -> str:
    parts = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def pdf_run(tool: str, data: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(  # noqa: S603
            [tool, *args, handle.name, *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            check=True,
            text=True,
        ).stdout


def pdf_text(data: bytes) -> str:
    return pdf_run("pdftotext", data, "-layout")


def pdf_fonts(data: bytes) -> str:
    return pdf_run("pdffonts", data)


def pdf_pages(data: bytes) -> int:
    info = pdf_run("pdfinfo", data)
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def docx_bytes(*paragraphs: str) -> bytes:
    buffer = io.BytesIO()
    docx = Document()
    for text in paragraphs:
        docx.add_paragraph(text)
    docx.save(buffer)
    return buffer.getvalue()


def evaluated_on(day: dt.date) -> None:
    """Date the whole target status history to noon on `day`, as if the targets had been
    evaluated then: a document counts the statuses as at the end of its period."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    TargetStatusChange.objects.update(changed_at=at)
