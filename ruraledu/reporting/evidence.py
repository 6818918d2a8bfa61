"""Checks on evidence files before anything is stored: size, allowed type, and content that
matches the name (magic bytes). A renamed executable, script or archive is refused."""

import hashlib
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

import filetype
from django.conf import settings

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


def _check_family(family: str, data: bytes, name: str, label: str, guessed) -> None:
    if family == "pdf":
        if not data.startswith(b"%PDF-"):
            raise _mismatch(name, label)
        if b"/Launch" in data or b"/JavaScript" in data:
            raise EvidenceRefused(
                f"PDF 文件“{name}”含有脚本或启动程序的动作，出于安全原因不予接收。请另存为普通 PDF 后再上传。"
            )
        return
    if family in ("jpg", "png"):
        if guessed is None or guessed.extension != family:
            raise _mismatch(name, label)
        return
    if family == "ole":
        if not data.startswith(OLE_MAGIC):
            raise _mismatch(name, label)
        return
    _check_office_open_xml(family, data, name, label)


def _check_office_open_xml(family: str, data: bytes, name: str, label: str) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise _mismatch(name, label)
    try:
        members = zipfile.ZipFile(BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _mismatch(name, label) from None
    names = {m.filename for m in members}
    main_part = "word/document.xml" if family == "docx" else "xl/workbook.xml"
    if "[Content_Types].xml" not in names or main_part not in names:
        raise _mismatch(name, label)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise EvidenceRefused(
            f"文件“{name}”含有宏（VBA），出于安全原因不予接收。请另存为不含宏的文件后再上传。"
        )
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_ZIP_UNCOMPRESSED:
        raise EvidenceRefused(f"文件“{name}”解压后过大或结构异常（疑似“压缩炸弹”），已拒绝上传。")
