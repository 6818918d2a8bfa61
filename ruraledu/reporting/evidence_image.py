"""Where an image really ends. Bytes after the end (an HTML page, a script, a zip archive) are
invisible in a viewer but can be served or unpacked as something else, so an image must end
where its format says it ends: a PNG after its IEND chunk, a JPEG after its EOI marker (FF D9,
followed at most by zero padding, which some cameras write)."""

import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_trailing(data: bytes) -> int | None:
    """The number of bytes after IEND (0 for a clean file), or None when the chunks do not lead
    to an IEND."""
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        (length,) = struct.unpack_from(">I", data, position)
        kind = data[position + 4 : position + 8]
        position += 12 + length  # length, type, data, CRC
        if position > len(data):
            return None
        if kind == b"IEND":
            return len(data) - position
    return None


def jpeg_trailing(data: bytes) -> int | None:
    """The number of non-zero-padding bytes after EOI, or None when the segments do not lead
    to an EOI. Segments are skipped by their lengths, so an embedded thumbnail's EOI does not
    count; entropy-coded data after SOS runs to the next marker that is neither a stuffed
    FF 00 nor a restart marker."""
    if not data.startswith(b"\xff\xd8"):
        return None
    position = 2
    while position < len(data):
        if data[position] != 0xFF:
            return None
        while position < len(data) and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= len(data):
            return None
        marker = data[position]
        position += 1
        if marker == 0xD9:
            rest = data[position:]
            return len(rest.rstrip(b"\x00"))
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if position + 2 > len(data):
            return None
        (length,) = struct.unpack_from(">H", data, position)
        if length < 2:
            return None
        position += length
        if marker == 0xDA:
            position = _end_of_scan(data, position)
    return None


def _end_of_scan(data: bytes, position: int) -> int:
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            return len(data)
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position += 1 if following == 0xFF else 2
            continue
        return position
