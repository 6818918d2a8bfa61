"""Small files built in code, valid or hostile, for the evidence checks."""

import io
import struct
import zipfile
import zlib

# ------------------------------------------------------------------ images


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png() -> bytes:
    """A 1×1 red PNG."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


# A 1×1 grey JPEG (arithmetic coding), 107 bytes.
JPEG = bytes.fromhex(
    "ffd8ffdb00430003020202020203020202030303030406040404040408060605060908"
    "0a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f10"
    "1010ffc9000b080001000101011100ffcc000600101005ffda0008010100003f00d2"
    "cf20ffd9"
)


def jpeg_with_thumbnail() -> bytes:
    """A JPEG whose APP1 segment holds a whole JPEG (as an EXIF thumbnail does): the
    thumbnail's EOI is not the end of the file."""
    app1 = b"Exif\x00\x00" + JPEG
    return JPEG[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + JPEG[2:]


# ------------------------------------------------------------------ PDF


def pdf(*objects: bytes, trailer: bytes = b"") -> bytes:
    """A PDF of `objects` (numbered from 1; object 1 should be the catalog), with a correct
    cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


PAGE_OBJECTS = (
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    stream(b"/Filter /FlateDecode", zlib.compress(b"BT /F1 12 Tf 20 100 Td (hello) Tj ET")),
)


def object_stream(*objects: bytes, first_number: int = 10) -> bytes:
    """An object stream (FlateDecode) holding `objects` as numbers first_number, …"""
    bodies, offsets, position = [], [], 0
    for body in objects:
        offsets.append(position)
        bodies.append(body)
        position += len(body) + 1
    index = b" ".join(b"%d %d" % (first_number + n, o) for n, o in enumerate(offsets)) + b"\n"
    content = index + b"\n".join(bodies)
    return stream(
        b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(objects), len(index)),
        zlib.compress(content),
    )


# ------------------------------------------------------------------ OLE compound files

FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole(tree: dict) -> bytes:
    """A version 3 compound file whose root holds `tree`: {name: bytes (a stream, at least
    4096 bytes or empty, so no mini stream is needed) or dict (a storage)}."""
    entries = [{"name": "Root Entry", "type": 5, "data": b"", "children": []}]

    def add(parent: int, subtree: dict) -> None:
        for name, value in subtree.items():
            index = len(entries)
            storage = isinstance(value, dict)
            entries.append(
                {
                    "name": name,
                    "type": 1 if storage else 2,
                    "data": b"" if storage else value,
                    "children": [],
                }
            )
            entries[parent]["children"].append(index)
            if storage:
                add(index, value)

    add(0, tree)
    directory_sectors = (len(entries) + 3) // 4
    sector = 1 + directory_sectors  # sector 0 is the FAT
    fat = [FAT_SECTOR] + [n + 2 for n in range(directory_sectors - 1)] + [END_OF_CHAIN]
    data_sectors = b""
    for entry in entries:
        data = entry["data"]
        entry["start"] = END_OF_CHAIN
        if data:
            assert len(data) >= 4096
            count = (len(data) + 511) // 512
            entry["start"] = sector
            fat += [sector + n + 1 for n in range(count - 1)] + [END_OF_CHAIN]
            data_sectors += data.ljust(count * 512, b"\x00")
            sector += count
    assert len(fat) <= 128
    fat += [FREE] * (128 - len(fat))
    directory = b"".join(_directory_entry(entry, entries) for entry in entries)
    directory = directory.ljust(directory_sectors * 512, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    return header + struct.pack("<128I", *fat) + directory + data_sectors


def _directory_entry(entry: dict, entries: list) -> bytes:
    # Children hang from the parent as a chain of right siblings (a valid, if lopsided, tree).
    children = entry["children"]
    name = entry["name"].encode("utf-16-le") + b"\x00\x00"
    right = NO_STREAM
    for parent in entries:
        siblings = parent["children"]
        if entry is not parent and entries.index(entry) in siblings:
            at = siblings.index(entries.index(entry))
            right = siblings[at + 1] if at + 1 < len(siblings) else NO_STREAM
    return (
        name.ljust(64, b"\x00")
        + struct.pack("<HBB", len(name), entry["type"], 1)
        + struct.pack("<III", NO_STREAM, right, children[0] if children else NO_STREAM)
        + b"\x00" * 16
        + b"\x00" * 4
        + b"\x00" * 16
        + struct.pack("<IQ", entry["start"], len(entry["data"]))
    )


def biff_workbook(sheet_type: int = 0) -> bytes:
    """A Workbook stream: BOF, one BOUNDSHEET record of `sheet_type` (0 worksheet, 1 Excel 4.0
    macro sheet), EOF; padded to 4096 bytes."""

    def record(kind: int, body: bytes) -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    name = "Sheet1".encode("utf-16-le")
    sheet = struct.pack("<IBB", 0, 0, sheet_type) + bytes([6, 1]) + name
    stream = record(0x0809, b"\x00\x06\x05\x00" + b"\x00" * 12) + record(0x0085, sheet)
    return (stream + record(0x000A, b"")).ljust(4096, b"\x00")


WORD_STREAM = b"\xec\xa5" + b"\x00" * 4094  # a WordDocument stream's magic, padded


# ------------------------------------------------------------------ Office Open XML


def ooxml(main: str, extra: dict | None = None, content_types: str = "<Types/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(main, "<document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()
