"""Macros and embedded programs in Office files.

Old binary files (.doc/.xls, OLE compound files) are read with olefile, a small pure-Python
reader of the compound-file format with no dependencies of its own: it gives the directory
(storage and stream names) and the streams' bytes, where a scan of raw bytes could miss a
name split across sectors or mistake document text for a name. Refused: a VBA project
(`_VBA_PROJECT`, `_VBA_PROJECT_CUR`, `VBA`, `Macros` storages or streams, as Word and Excel
write them), an embedded package of any file (`\\x01Ole10Native`), and Excel 4.0 macro sheets
(a BOUNDSHEET record of type macro sheet or VBA module in the Workbook stream).

Office Open XML files (.docx/.xlsx) are zip packages: refused are a VBA project
(vbaProject.bin), a macro-enabled content type, ActiveX controls, embedded OLE objects
(oleObject*.bin, including Excel's embeddings) and relationships to an external template or
external OLE object, through which a document fetches macros or code when it is opened."""

import re
import struct
import zipfile
from io import BytesIO

import olefile

VBA_ENTRIES = {"_vba_project", "_vba_project_cur", "vba", "macros"}
PACKAGE_ENTRY = "\x01ole10native"
BOUNDSHEET = 0x0085
MACRO_SHEET_TYPES = {0x01: "Excel 4.0 宏表", 0x06: "VBA 模块"}

_EXTERNAL_LINK = re.compile(
    rb"<Relationship\b[^>]*Type=\"[^\"]*/(attachedTemplate|oleObject|frame|subDocument)\"[^>]*"
    rb"TargetMode=\"External\"|<Relationship\b[^>]*TargetMode=\"External\"[^>]*"
    rb"Type=\"[^\"]*/(attachedTemplate|oleObject|frame|subDocument)\"",
    re.IGNORECASE,
)


class OfficeUnreadable(Exception):
    """The compound file is damaged or not one at all."""


def ole_active_content(data: bytes) -> str | None:
    """What makes the OLE file `data` active (a Chinese phrase), or None."""
    try:
        ole = olefile.OleFileIO(BytesIO(data))
    except (OSError, ValueError, struct.error, IndexError) as exc:
        raise OfficeUnreadable(str(exc)) from exc
    with ole:
        try:
            entries = ole.listdir(streams=True, storages=True)
        except (OSError, ValueError, struct.error, IndexError) as exc:
            raise OfficeUnreadable(str(exc)) from exc
        for path in entries:
            parts = {part.lower() for part in path}
            if parts & VBA_ENTRIES:
                return f"宏（VBA 工程“{'/'.join(path)}”）"
            if PACKAGE_ENTRY in parts:
                return "嵌入的程序或文件包（Ole10Native）"
        for name in ("Workbook", "Book"):
            if ole.exists(name):
                kind = _macro_sheet(ole.openstream(name).read())
                if kind:
                    return kind
    return None


def _macro_sheet(stream: bytes) -> str | None:
    """The kind of the first macro sheet listed in an Excel workbook stream (BIFF records)."""
    position = 0
    while position + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + size]
        if kind == BOUNDSHEET and len(body) >= 6 and body[5] in MACRO_SHEET_TYPES:
            return MACRO_SHEET_TYPES[body[5]]
        if kind == 0x000A and position > 0:  # EOF of the globals substream: sheets follow
            return None
        position += 4 + size
    return None


def ooxml_active_content(archive: zipfile.ZipFile) -> str | None:
    """What makes the Office Open XML package active (a Chinese phrase), or None."""
    names = [info.filename for info in archive.infolist()]
    for name in names:
        lower = name.lower()
        if lower.endswith("vbaproject.bin") or lower.endswith("vbadata.xml"):
            return "宏（VBA 工程）"
        if "/activex/" in f"/{lower}":
            return "ActiveX 控件"
        if re.search(r"(^|/)embeddings/.*\.(bin|docm|xlsm|pptm|xlsb|dotm|xltm)$", lower):
            return "嵌入的 OLE 对象或含宏文档"
    types = _read(archive, "[Content_Types].xml").lower()
    if b"macroenabled" in types or b"vbaproject" in types:
        return "宏（启用宏的文件类型）"
    if b"activex" in types or b"oleobject" in types:
        return "ActiveX 控件或嵌入的 OLE 对象"
    for name in names:
        if name.lower().endswith(".rels") and _EXTERNAL_LINK.search(_read(archive, name)):
            return "指向外部模板或外部对象的链接"
    return None


def _read(archive: zipfile.ZipFile, name: str, limit: int = 4 * 1024 * 1024) -> bytes:
    """At most `limit` bytes of a member (the package's sizes were checked before)."""
    try:
        with archive.open(name) as member:
            return member.read(limit)
    except KeyError:
        return b""
