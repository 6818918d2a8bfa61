"""PDF from the very .docx the platform generates, by LibreOffice headless: the Word file and the
PDF are one document, laid out once. Fonts: fonts.conf maps the official 公文 font names to
Debian's Noto CJK faces, so the PDF looks right on a server without the official fonts."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

FONTS_CONF = Path(__file__).with_name("fonts.conf")
SOFFICE_NAMES = ("soffice", "libreoffice")


class PdfUnavailable(Exception):
    """LibreOffice is missing, failed or took too long."""


def soffice_path() -> str:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailable(
        "服务器未安装 LibreOffice，无法生成 PDF（请安装 libreoffice-writer-nogui）。"
    )


def docx_to_pdf(data: bytes) -> bytes:
    return docx_to_pdf_many([data])[0]


def docx_to_pdf_many(documents: list[bytes], *, timeout: int | None = None) -> list[bytes]:
    """Convert several .docx files in one LibreOffice run; any file that failed fails all."""
    results = docx_to_pdf_each(documents, timeout=timeout)
    if any(result is None for result in results):
        raise PdfUnavailable("LibreOffice 未能把文档转换为 PDF。")
    return results


def docx_to_pdf_each(documents: list[bytes], *, timeout: int | None = None) -> list[bytes | None]:
    """Convert several .docx files in one LibreOffice run (starting it is most of the cost);
    a file LibreOffice could not convert is None, the others are kept."""
    if not documents:
        return []
    timeout = timeout or getattr(settings, "DOCUMENT_PDF_SECONDS", 600)
    with tempfile.TemporaryDirectory(prefix="ruraledu-pdf-") as work:
        work_dir = Path(work)
        sources = []
        for number, data in enumerate(documents):
            source = work_dir / f"{number:05d}.docx"
            source.write_bytes(data)
            sources.append(source)
        out_dir = work_dir / "out"
        # one profile per run: concurrent conversions must not share LibreOffice's profile lock
        profile = (work_dir / "profile").as_uri()
        command = [
            soffice_path(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out_dir),
            *map(str, sources),
        ]
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "LANG": "zh_CN.UTF-8"}
        env["HOME"] = work  # LibreOffice writes caches under HOME
        try:
            subprocess.run(  # noqa: S603 (fixed command, our own temporary files)
                command, env=env, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as expired:
            raise PdfUnavailable("生成 PDF 超时。") from expired
        targets = [out_dir / f"{source.stem}.pdf" for source in sources]
        return [target.read_bytes() if target.exists() else None for target in targets]
