"""Refuse unsafe or unusable uploads before any parser touches them.

An .xlsx file is a zip archive. Each member is inflated here with zlib, counting the real
bytes: a header that under-states a member's size cannot smuggle a zip bomb past the limits
into python-calamine, which trusts the headers. The same pass scans worksheets for formulas.
"""

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from io import BytesIO
from pathlib import PurePosixPath
from xml.etree import ElementTree

from django.conf import settings

from .extent import PREFIXED_CELL, UNUSUAL_CELL, SheetExtent, count_cells

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # per member, once it is larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 5_000
FORMULAS_SHOWN = 5
CHUNK = 1024 * 1024
SMALL_PART_LIMIT = 10 * 1024 * 1024  # content types, workbook.xml and its relations

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"')
_OVERLAP = 2048  # bytes kept between chunks so a cell tag is never cut in two
_LONGEST_TAG = 1024 * 1024  # a worksheet with a longer tag than this is not Excel's
# One search per chunk for what needs a closer look: formulas and unusual cells (extent.py).
_SUSPECT = re.compile(rb"<f[\s/>]|" + UNUSUAL_CELL)
_PREFIXED = re.compile(rb":f[\s/>]|" + PREFIXED_CELL)

NOT_XLSX = (
    "文件内容不是 Excel 工作簿（.xlsx）：可能是改了扩展名的 CSV、网页或其他文件。"
    "请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再导入"
)
OLD_XLS = (
    "文件是旧版 Excel（.xls）格式或已设置打开密码。请取消密码，"
    "并在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再导入"
)
MACROS = "文件含有宏（VBA），出于安全原因不予导入。请“另存为”不含宏的 Excel 工作簿（.xlsx）后再导入"
BROKEN = "文件已损坏或结构异常，无法安全读取。请在 Excel 中打开后重新保存为 .xlsx 再导入"
TOO_BIG_INSIDE = "文件解压后过大或压缩比异常（疑似“压缩炸弹”），不予导入"


class UploadRefused(Exception):
    """The upload is refused as a whole; `message` tells the user why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_upload(data: bytes, filename: str) -> None:
    """Raise `UploadRefused` unless `data` is a plain .xlsx workbook without macros or
    formulas, within the size limits."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise UploadRefused(
            f"文件过大（{_megabytes(len(data))}），上限为 {_megabytes(limit)}。请拆分后分批导入"
        )
    _check_name(filename)
    if data.startswith(_OLE_MAGIC):
        raise UploadRefused(OLD_XLS)
    if not data.startswith(b"PK"):
        raise UploadRefused(NOT_XLSX)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused(NOT_XLSX) from None
    _check_members(members)
    # zipfile never inflates past a member's declared size, so the small parts read safely.
    sheet_names = _sheet_names(archive)
    found: list[tuple[str, str]] = []  # (worksheet part, cell reference)
    extents: dict[str, SheetExtent] = {}
    for member in members:
        name = member.filename
        # A reader follows the workbook's relations, wherever they point.
        is_sheet = name in sheet_names or (
            name.startswith("xl/worksheets/") and name.endswith(".xml")
        )
        extent = extents[name] = SheetExtent() if is_sheet else None
        refs = _inflate_and_scan(data, member, extent=extent)
        found.extend((name, ref) for ref in refs)
        if len(found) >= FORMULAS_SHOWN:
            break
    if found:
        raise UploadRefused(_formula_message(found[:FORMULAS_SHOWN], sheet_names))
    for part, extent in extents.items():
        problem = extent.problem() if extent is not None else None
        if problem:
            where = f"文件“{filename}”的工作表“{sheet_names.get(part, PurePosixPath(part).stem)}”"
            raise UploadRefused(
                _extent_message(where, problem, extent, data, archive.getinfo(part))
            )


def _formula_message(found: list[tuple[str, str]], sheet_names: dict[str, str]) -> str:
    by_sheet: dict[str, list[str]] = {}
    for part, ref in found:
        by_sheet.setdefault(sheet_names.get(part, PurePosixPath(part).stem), []).append(ref)
    where = "；".join(f"工作表“{sheet}”{'、'.join(refs)}" for sheet, refs in by_sheet.items())
    more = " 等" if len(found) > 1 else " "
    return f"{where}{more}单元格含有公式，请复制后“粘贴为数值”再导入"


def _extent_message(
    where: str, problem: str, extent: SheetExtent, data: bytes, member: zipfile.ZipInfo
) -> str:
    """The message for the sheet `member` breaking the rule `problem`; the sheet is inflated
    again to count its cells only for the messages that show the count."""
    fix = "请将数据复制到新的导入模板后再上传"
    if problem == "refless":
        return f"{where}中有缺少位置（如 A1）的单元格，文件结构异常。请在 Excel 中打开后另存为 .xlsx 再导入"
    if problem == "declared":
        cells = _count_cells(data, member)
        return f"{where}声明的范围 {extent.declared} 远超实际数据（共 {cells} 个单元格），{fix}"
    if problem == "sparse":
        cells = _count_cells(data, member)
        return (
            f"{where}的数据区域 {extent.used} 远超实际数据（共 {cells} 个单元格），"
            f"多半是远处的单元格中有内容或空格，{fix}"
        )
    return (
        f"{where}的数据区域 {extent.used} 过大（{extent.rows} 行 × {extent.columns} 列），"
        f"请删除模板以外的列、拆分后再上传"
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _check_name(filename: str) -> None:
    suffix = PurePosixPath((filename or "").replace("\\", "/")).suffix.lower()
    if suffix == ".xlsx":
        return
    if suffix == ".xls":
        raise UploadRefused(OLD_XLS)
    if suffix in (".xlsm", ".xltm", ".xlam"):
        raise UploadRefused(MACROS)
    if suffix == ".xlsb":
        raise UploadRefused("不支持 Excel 二进制工作簿（.xlsb），请“另存为” .xlsx 后再导入")
    if suffix in (".csv", ".txt"):
        raise UploadRefused("不支持 CSV/文本文件，请把数据粘贴到导入模板（.xlsx）中再导入")
    raise UploadRefused(f"只接受 Excel 工作簿（.xlsx）文件，“{filename}”不是 .xlsx 文件")


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    names = [m.filename for m in members]
    if len(members) > MAX_MEMBERS or len(set(names)) != len(names):
        raise UploadRefused(BROKEN)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRefused(NOT_XLSX)
    for member in members:
        lowered = member.filename.lower()
        if lowered.endswith("vbaproject.bin") or lowered.startswith("xl/macrosheets/"):
            raise UploadRefused(MACROS)
        if member.flag_bits & 0x1:
            raise UploadRefused(OLD_XLS)
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadRefused(BROKEN)
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        raise UploadRefused(TOO_BIG_INSIDE)


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    """Parse a small package part; entity declarations are refused, never expanded."""
    raw = _small_part(archive, name)
    if raw is None:
        return None
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise UploadRefused(BROKEN)
    try:
        return ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        raise UploadRefused(BROKEN) from None


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        if archive.getinfo(name).file_size > SMALL_PART_LIMIT:
            raise UploadRefused(BROKEN)
        return archive.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError):
        raise UploadRefused(BROKEN) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name ("xl/worksheets/sheet1.xml") -> the sheet's title."""
    content_types = _small_part(archive, "[Content_Types].xml") or b""
    if b"macroenabled" in content_types.lower():
        raise UploadRefused(MACROS)
    workbook = _small_xml(archive, "xl/workbook.xml")
    relations = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or relations is None:
        return {}
    targets = {}
    for rel in relations:
        target = rel.get("Target", "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = part
    names = {}
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        if rel_id in targets:
            names[targets[rel_id]] = element.get("name", "")
    return names


def _inflate(data: bytes, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's real content, chunk by chunk, whatever its header claims."""
    header = data[member.header_offset : member.header_offset + _LOCAL_HEADER.size]
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise UploadRefused(BROKEN)
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    start = member.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    body = memoryview(data)[start : start + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        for offset in range(0, len(body), CHUNK):
            yield bytes(body[offset : offset + CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for offset in range(0, len(body), 64 * 1024):
        pending = body[offset : offset + 64 * 1024]
        while pending:
            chunk = inflater.decompress(pending, CHUNK)
            if chunk:
                yield chunk
            pending = inflater.unconsumed_tail
        if inflater.eof:
            return
    yield inflater.flush()


def _inflate_and_scan(
    data: bytes, member: zipfile.ZipInfo, *, extent: SheetExtent | None
) -> list[str]:
    """Inflate one member under the size limits; return the cells holding formulas. A
    worksheet (`extent` given) is also measured."""
    real_size = 0
    refs: list[str] = []
    tail = b""
    try:
        for chunk in _inflate(data, member):
            real_size += len(chunk)
            if real_size > member.file_size or real_size > MAX_UNCOMPRESSED_BYTES:
                raise UploadRefused(TOO_BIG_INSIDE)
            if real_size > RATIO_FLOOR and real_size > MAX_RATIO * max(member.compress_size, 1):
                raise UploadRefused(TOO_BIG_INSIDE)
            if extent is not None:
                buffer = tail + chunk
                end = buffer.rfind(b">") + 1  # scan whole tags only; the rest comes again
                suspect = bool(_SUSPECT.search(buffer, 0, end))
                prefixed = bool(_PREFIXED.search(buffer, 0, end))
                if suspect or prefixed:  # cheap pre-filter, then the regexes
                    for ref in _formula_cells(buffer[:end]):
                        if ref not in refs:
                            refs.append(ref)
                    if len(refs) >= FORMULAS_SHOWN:
                        return refs
                extent.feed(buffer, end, new_bytes=len(chunk), unusual=suspect or prefixed)
                tail = buffer[min(end, len(buffer) - _OVERLAP) :]
                if len(tail) > _LONGEST_TAG:
                    raise UploadRefused(BROKEN)
    except zlib.error:
        raise UploadRefused(BROKEN) from None
    if real_size != member.file_size:
        raise UploadRefused(BROKEN)
    return refs


def _count_cells(data: bytes, member: zipfile.ZipInfo) -> int:
    """Cells in a worksheet already inflated once within the limits (for a message)."""
    cells, carry = 0, b""
    for chunk in _inflate(data, member):
        buffer = carry + chunk
        end = buffer.rfind(b">") + 1
        cells += count_cells(buffer[:end])
        carry = buffer[end:]
    return cells


def _formula_cells(buffer: bytes) -> list[str]:
    """References ("B5") of the cells whose formula element starts in `buffer`."""
    refs = []
    for match in _FORMULA.finditer(buffer):
        window = buffer[max(0, match.start() - _OVERLAP // 2) : match.start()]
        cells = _CELL_REF.findall(window)
        refs.append(cells[-1].decode() if cells else "（位置未知）")
    return refs
