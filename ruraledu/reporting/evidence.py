"""Checks on evidence files before anything is stored: size, allowed type, content that
matches the name (magic bytes), and no active content: a renamed executable, script or archive,
a PDF with scripts or actions, an Office file with macros or embedded programs, or an image
with data after its end is refused."""

import hashlib
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

import filetype
from django.conf import settings

from .evidence_image import jpeg_trailing, png_trailing
from .evidence_office import OfficeUnreadable, ole_active_content, ooxml_active_content
from .evidence_pdf import PdfUninspectable, pdf_active_content

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
MAX_ZIP_UNCOMPRESSED = 300 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXECUTABLE_MAGIC = (
    (b"MZ", "Windows 可执行程序"),
    (b"\x7fELF", "Linux 可执行程序"),
    (b"\xfe\xed\xfa\xce", "macOS 可执行程序"),
    (b"\xfe\xed\xfa\xcf", "macOS 可执行程序"),
    (b"\xcf\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xce\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xca\xfe\xba\xbe", "可执行程序"),
    (b"#!", "脚本程序"),
)

# extension -> (family, MIME type to serve it with, Chinese name)
ALLOWED = {
    ".pdf": ("pdf", "application/pdf", "PDF 文件"),
    ".doc": ("ole", "application/msword", "Word 文档"),
    ".docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word 文档",
    ),
    ".xls": ("ole", "application/vnd.ms-excel", "Excel 工作簿"),
    ".xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel 工作簿",
    ),
    ".jpg": ("jpg", "image/jpeg", "JPEG 图片"),
    ".jpeg": ("jpg", "image/jpeg", "JPEG 图片"),
    ".png": ("png", "image/png", "PNG 图片"),
}
ALLOWED_LABEL = "PDF、Word（.doc/.docx）、Excel（.xls/.xlsx）或图片（.jpg/.png）"
ACCEPT_ATTRIBUTE = ",".join(ALLOWED)


class EvidenceRefused(Exception):
    """The file is refused as a whole; the message says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the user's file name, cleaned
    suffix: str
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "REPORTING_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def clean_name(filename: str) -> str:
    """The last path component without control characters, at most 200 characters."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "未命名文件"
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[: 190 - len(suffix)]}{dot}{suffix}" if dot else name[:200]
    return name


def check_evidence(data: bytes, filename: str) -> CheckedFile:
    """Raise `EvidenceRefused` unless `data` is an allowed document whose content matches its
    extension, within the size limit."""
    limit = max_bytes()
    if len(data) > limit:
        raise EvidenceRefused(
            f"文件过大（{megabytes(len(data))}），单个佐证材料不能超过 {megabytes(limit)}。"
        )
    if not data:
        raise EvidenceRefused("文件是空的，请重新选择。")
    name = clean_name(filename)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise EvidenceRefused(
            f"不支持“{suffix or '无扩展名'}”文件。佐证材料只接受 {ALLOWED_LABEL}。"
        )
    family, content_type, label = ALLOWED[suffix]
    for magic, what in EXECUTABLE_MAGIC:
        if data.startswith(magic):
            raise EvidenceRefused(
                f"文件“{name}”的内容是{what}，不是{label}，已拒绝上传。请上传真实的{label}。"
            )
    guessed = filetype.guess(data[:8192])
    if guessed is not None and guessed.extension in {"exe", "elf", "dmg", "dex", "swf", "crx"}:
        raise EvidenceRefused(f"文件“{name}”的内容是可执行程序，不是{label}，已拒绝上传。")
    _check_family(family, data, name, label, guessed)
    return CheckedFile(
        name=name,
        suffix=suffix,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _mismatch(name: str, label: str) -> EvidenceRefused:
    return EvidenceRefused(
        f"文件“{name}”的内容与扩展名不符，不是真正的{label}（可能是改了扩展名的其他文件），已拒绝上传。"
    )


def _active(name: str, label: str, what: str, advice: str) -> EvidenceRefused:
    return EvidenceRefused(f"{label}“{name}”含有{what}，出于安全原因不予接收。{advice}")


def _check_family(family: str, data: bytes, name: str, label: str, guessed) -> None:
    if family == "pdf":
        _check_pdf(data, name, label)
    elif family in ("jpg", "png"):
        if guessed is None or guessed.extension != family:
            raise _mismatch(name, label)
        trailing = png_trailing(data) if family == "png" else jpeg_trailing(data)
        if trailing is None:
            raise EvidenceRefused(
                f"{label}“{name}”不完整或已损坏（找不到图片的结束标记），已拒绝上传。"
            )
        if trailing:
            raise EvidenceRefused(
                f"{label}“{name}”在图片结束之后还附带了 {trailing} 字节的其他数据（可能是隐藏的网页或程序），"
                "出于安全原因不予接收。请用看图软件另存一份后再上传。"
            )
    elif family == "ole":
        if not data.startswith(OLE_MAGIC):
            raise _mismatch(name, label)
        try:
            what = ole_active_content(data)
        except OfficeUnreadable:
            raise EvidenceRefused(f"{label}“{name}”已损坏，无法读取，已拒绝上传。") from None
        if what:
            raise _active(name, label, what, "请另存为不含宏的 .docx 或 .xlsx 文件后再上传。")
    else:
        _check_office_open_xml(family, data, name, label)


def _check_pdf(data: bytes, name: str, label: str) -> None:
    if not data.startswith(b"%PDF-"):
        raise _mismatch(name, label)
    try:
        found = pdf_active_content(data)
    except PdfUninspectable as exc:
        raise EvidenceRefused(
            f"{label}“{name}”中有无法检查的内容（{exc}），无法确认其中没有脚本，不予接收。"
            "请用“打印为 PDF”另存一份后再上传。"
        ) from None
    if found:
        key, what = found
        raise _active(name, label, f"{what}（/{key}）", "请用“打印为 PDF”另存为普通 PDF 后再上传。")


def _check_office_open_xml(family: str, data: bytes, name: str, label: str) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise _mismatch(name, label)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _mismatch(name, label) from None
    names = {m.filename for m in members}
    main_part = "word/document.xml" if family == "docx" else "xl/workbook.xml"
    if "[Content_Types].xml" not in names or main_part not in names:
        raise _mismatch(name, label)
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_ZIP_UNCOMPRESSED:
        raise EvidenceRefused(f"文件“{name}”解压后过大或结构异常（疑似“压缩炸弹”），已拒绝上传。")
    try:
        what = ooxml_active_content(archive)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        raise EvidenceRefused(f"{label}“{name}”已损坏或已加密，无法检查，已拒绝上传。") from None
    if what:
        raise _active(name, label, what, "请另存为不含宏的文件后再上传。")
