"""Active content in a PDF: scripts, launch and form-submission actions, actions run on opening,
embedded files, rich media and XFA forms.

Names are matched after decoding `#xx` escapes (`/J#61vaScript` is `/JavaScript`), in three
places:
- the file outside stream data (dictionaries, as written);
- every object stream, inflated (a stream whose dictionary has `/First`, which a viewer needs
  to read objects out of it; `/Type /ObjStm` is not needed, so it is not relied on), within a
  total size cap. One that cannot be decoded here (other filters, predictors, damage,
  encryption) is refused, since it cannot be shown to be harmless;
- the raw data of all other streams, for the names of three letters or more only: a two-letter
  name like `/JS` turns up by chance in megabytes of image data, and every script or launch
  action also names its type (`/S /JavaScript`, `/S /Launch`), so nothing is lost. This also
  covers objects hidden where a fake `stream` keyword would make them look like stream data.
Content streams, images and fonts hold no objects and are not inflated.
"""

import re
import zlib

MAX_INFLATED = 64 * 1024 * 1024  # all streams of one file together

# Decoded name -> what it is, for the message.
FORBIDDEN_NAMES = {
    "JavaScript": "JavaScript 脚本",
    "JS": "JavaScript 脚本",
    "Launch": "启动程序的动作",
    "EmbeddedFile": "嵌入的附件",
    "EmbeddedFiles": "嵌入的附件",
    "RichMedia": "富媒体（Flash 等）内容",
    "XFA": "XFA 动态表单",
    "AA": "自动触发的动作",
    "SubmitForm": "提交表单数据的动作",
    "ImportData": "导入数据的动作",
    "GoToE": "打开嵌入文件的动作",
}

_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_OBJECT_START = re.compile(rb"\d+\s+\d+\s+obj\b")
_OPEN_ACTION = re.compile(rb"/OpenAction\s*(<<|\[|(\d+)\s+(\d+)\s+R)")


class PdfUninspectable(Exception):
    """A part of the file cannot be read here, so it cannot be shown to be harmless."""


def _unescape(name: re.Match) -> bytes:
    return b"/" + _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name.group(1))


def decode_names(data: bytes) -> bytes:
    """`data` with every name's `#xx` escapes decoded, so that plain patterns match."""
    return _NAME.sub(_unescape, data)


def forbidden_in(
    data: bytes, *, short_names: bool = True, packed: dict[int, bytes] | None = None
) -> tuple[str, str] | None:
    """The first forbidden feature in `data` (names already decoded): (name, description).
    `packed` holds the objects read out of object streams, by number."""
    for match in _NAME.finditer(data):
        name = match.group(1).decode("latin-1")
        if name in FORBIDDEN_NAMES and (short_names or len(name) > 2):
            return name, FORBIDDEN_NAMES[name]
    for match in _OPEN_ACTION.finditer(data):
        if _open_action_runs(data, match, packed or {}):
            return "OpenAction", "打开文件时自动执行的动作"
    return None


def _open_action_runs(data: bytes, match: re.Match, packed: dict[int, bytes]) -> bool:
    """Whether an /OpenAction does more than show a page: a destination (an array) and a
    plain GoTo action only show one; any other action, or a target that cannot be found,
    counts as running something."""
    if match.group(1) == b"[":
        return False
    if match.group(1) == b"<<":
        return _action_runs(data[match.start(1) :])
    number, generation = match.group(2), match.group(3)
    target = re.search(rb"\b%s\s+%s\s+obj\s*(<<|\[)" % (number, generation), data)
    if target is not None:
        return target.group(1) == b"<<" and _action_runs(data[target.start(1) :])
    body = packed.get(int(number), b"").lstrip()
    return not body.startswith(b"[") and _action_runs(body)


def _action_runs(text: bytes) -> bool:
    """`text` starts with an action dictionary: only a GoTo without a chained /Next is inert."""
    end = text.find(b">>")
    action = text[: end if end >= 0 else len(text)]
    kind = re.search(rb"/S\s*/([A-Za-z]+)", action)
    return not (kind and kind.group(1) == b"GoTo" and b"/Next" not in action)


def _unpack(content: bytes, head: bytes) -> dict[int, bytes]:
    """The objects of an inflated object stream by number, read through its index."""
    first = re.search(rb"/First\s+(\d+)", head)
    if first is None:
        return {}
    start = int(first.group(1))
    numbers = [int(n) for n in re.findall(rb"\d+", content[:start])]
    pairs = list(zip(numbers[::2], numbers[1::2], strict=False))
    objects = {}
    for index, (number, offset) in enumerate(pairs):
        end = pairs[index + 1][1] if index + 1 < len(pairs) else len(content) - start
        objects[number] = content[start + offset : start + end]
    return objects


def pdf_active_content(data: bytes) -> tuple[str, str] | None:
    """The first active feature found in the PDF `data`, or None. Raises PdfUninspectable."""
    structure, stream_data, object_streams = [], [], []
    position = 0
    for head, start, end in _streams(data):
        structure.append(decode_names(data[position:start]))
        stream_data.append(decode_names(data[start:end]))
        if re.search(rb"/First\b", head):
            object_streams.append((head, start))
        position = end
    structure.append(decode_names(data[position:]))
    if object_streams and any(re.search(rb"/Encrypt\b", part) for part in structure):
        raise PdfUninspectable("文件已加密，其中的对象流无法检查")
    budget = MAX_INFLATED
    packed: dict[int, bytes] = {}
    for head, start in object_streams:
        content = decode_names(_inflate_object_stream(data, start, head, budget))
        budget -= len(content)
        structure.append(content)
        packed.update(_unpack(content, head))
    return forbidden_in(b"\n".join(structure), packed=packed) or forbidden_in(
        b"\n".join(stream_data), short_names=False
    )


def _streams(data: bytes):
    """(dictionary with names decoded, start, end) of the data of every stream, in order."""
    position = 0
    for match in _STREAM.finditer(data):
        if match.start() < position:
            continue
        before = data[max(position, match.start() - 4096) : match.start()].rstrip()
        if not before.endswith(b">>"):
            continue
        starts = list(_OBJECT_START.finditer(before))
        head = before[starts[-1].end() :] if starts else before
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        yield decode_names(head), match.end(), end
        position = end


def _inflate_object_stream(data: bytes, start: int, head: bytes, budget: int) -> bytes:
    filters = re.search(rb"/Filter\s*(\[[^\]]*\]|/[^\s/<>\[\]]+)", head)
    names = re.findall(rb"/([^\s/<>\[\]]+)", filters.group(1)) if filters else []
    if not names:
        return data[start : data.find(b"endstream", start)]  # plain: scan as it is
    if any(name not in (b"FlateDecode", b"Fl") for name in names):
        raise PdfUninspectable("对象流使用了无法检查的编码")
    predictor = re.search(rb"/Predictor\s+(\d+)", head)
    if predictor and int(predictor.group(1)) > 1:
        raise PdfUninspectable("对象流使用了预测编码")
    content = _inflate(data, start, budget)
    for _ in names[1:]:
        content = _inflate_bytes(content, budget)
    return content


def _inflate(data: bytes, start: int, budget: int) -> bytes:
    """Inflate from `start` until the deflate stream ends (its own end, not a search for the
    `endstream` keyword, which compressed bytes may contain)."""
    inflater = zlib.decompressobj()
    out = []
    size = 0
    position = start
    try:
        while not inflater.eof and position < len(data):
            chunk = inflater.decompress(data[position : position + 65536], budget - size + 1)
            position += 65536
            out.append(chunk)
            size += len(chunk)
            if size > budget:
                raise PdfUninspectable("对象流解压后过大")
    except zlib.error as exc:
        raise PdfUninspectable("对象流的压缩数据损坏") from exc
    return b"".join(out)


def _inflate_bytes(data: bytes, budget: int) -> bytes:
    try:
        content = zlib.decompressobj().decompress(data, budget + 1)
    except zlib.error as exc:
        raise PdfUninspectable("对象流的压缩数据损坏") from exc
    if len(content) > budget:
        raise PdfUninspectable("对象流解压后过大")
    return content
