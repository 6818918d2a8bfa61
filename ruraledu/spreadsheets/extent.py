"""A worksheet's declared and used range, measured from its XML before any reader sees it.

python-calamine allocates by range: it reserves room for the `<dimension>` a sheet declares
and builds a dense grid from the first to the last cell present. One cell at XFD1048576 in
a 7 KB file thus asks for hundreds of gigabytes, and one cell in the last column of a few
thousand rows for gigabytes. `SheetExtent` is fed the sheet's XML as it is inflated.

Kept cheap for ordinary sheets: one regex search per chunk finds any cell that is not
`<c r="` + one letter + a row under 200,000. Chunks without such a cell hold a grid of at
most 26 columns by 200,000 rows, which is safe; the last cell of the chunk gives the rows
used. Only chunks with another kind of cell (a wider column, a far row, a prefixed or
reference-less cell) are measured cell by cell.
"""

import re

from openpyxl.utils import get_column_letter

# calamine builds a grid of rows x columns (about 32 bytes a cell, plus a Python list slot).
MAX_USED_AREA = 12_000_000  # 200,000 rows of 60 columns
AREA_FLOOR = 1_000_000  # a range this small is never refused for being sparse
BYTES_PER_AREA = 3  # a cell takes 7 bytes of XML at least; a sheet may be half empty
ONE_LETTER = 26

_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?\bref\s*=\s*["\']([^"\']*)')
# A cell other than <c r="A1"> … <c r="Z199999">: a wider column, a far row, another form;
# and any prefixed cell. The caller searches for these (with its own patterns) per chunk.
UNUSUAL_CELL = rb'<c(?! r="[A-Z](?:[0-9]{1,5}|1[0-9]{5})")[\s/>]'
PREFIXED_CELL = rb":c[\s/>]"
_PLAIN_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_OTHER_CELL = re.compile(rb'<c(?! r="[A-Z]{1,3}[0-9]{1,7}")[\s/>]([^>]*)')
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]([^>]*)")
_ANY_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_REF_ATTR = re.compile(rb'(?:^|\s)r\s*=\s*["\']([A-Za-z]{1,3})([0-9]{1,7})["\']')
_ANY_REF_ATTR = re.compile(rb"(?:^|\s)r\s*=")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?")
_LAST_CELL = b'<c r="'


def column_number(letters: bytes) -> int:
    """1-based column number of b"A" … b"XFD" (any case)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


class SheetExtent:
    """Feed the inflated worksheet XML (overlapping chunks are fine: only maxima are kept);
    then `problem()` names the rule the sheet breaks, if any."""

    def __init__(self) -> None:
        self.declared = ""  # the <dimension ref="…"> as written
        self.rows = 0  # the last row and column holding a cell (columns: at most 26 when
        self.columns = 0  # every cell had a one-letter reference)
        self.refless = False  # some cell has no r="…" (calamine would place it itself)
        self.size = 0  # bytes of XML

    def feed(self, block: bytes, end: int, *, new_bytes: int, unusual: bool) -> None:
        """Take `block[:end]` into account (`end` just after a '>', so no tag is cut).
        `unusual`: the caller found an `UNUSUAL_CELL` or `PREFIXED_CELL` in it."""
        self.size += new_bytes
        if not self.declared and self.rows == 0:
            match = _DIMENSION.search(block, 0, end)
            if match:
                self.declared = match.group(1).decode("ascii", "replace")[:40]
        if unusual:
            self._measure_each_cell(block, end)
            return
        last = block.rfind(_LAST_CELL, 0, end)
        if last >= 0:
            ref = _PLAIN_REF.match(block, last)
            if ref:
                self.rows = max(self.rows, int(ref.group(2)))
            self.columns = max(self.columns, ONE_LETTER)

    def _measure_each_cell(self, block: bytes, end: int) -> None:
        view = block[:end]
        found = _PLAIN_REF.findall(view)
        if found:
            letters, rows = zip(*found, strict=True)
            self.columns = max(self.columns, *map(column_number, set(letters)))
            self.rows = max(self.rows, *map(int, set(rows)))
        others = list(_OTHER_CELL.finditer(view))
        if b":c" in view:
            others += _PREFIXED_CELL.finditer(view)
        for tag in others:
            ref = _REF_ATTR.search(tag.group(1))
            if ref is not None:
                self.rows = max(self.rows, int(ref.group(2)))
                self.columns = max(self.columns, column_number(ref.group(1)))
            elif _ANY_REF_ATTR.search(tag.group(1)) is None:
                self.refless = True
            # a malformed reference: calamine refuses the file itself

    @property
    def used(self) -> str:
        """The used range as Excel writes it, e.g. "A1:XFD3001"."""
        return f"A1:{get_column_letter(max(self.columns, 1))}{max(self.rows, 1)}"

    def declared_area(self) -> int:
        match = _RANGE.fullmatch(self.declared.strip())
        if match is None:
            return 0
        first_col, first_row, last_col, last_row = match.groups()
        last_col, last_row = last_col or first_col, last_row or first_row
        rows = abs(int(last_row) - int(first_row)) + 1
        return rows * (
            abs(column_number(last_col.encode()) - column_number(first_col.encode())) + 1
        )

    def problem(self) -> str | None:
        """The rule broken: "refless", "declared", "sparse" or "huge"; None if none."""
        if self.refless:
            return "refless"
        sparse_limit = max(AREA_FLOOR, BYTES_PER_AREA * self.size)
        if self.declared_area() > sparse_limit:
            return "declared"
        area = self.rows * self.columns
        if area > sparse_limit:
            return "sparse"
        if area > MAX_USED_AREA:
            return "huge"
        return None


def count_cells(xml: bytes) -> int:
    """Cells present in a worksheet's XML (for the message; only run on refused sheets)."""
    return sum(1 for _ in _ANY_CELL.finditer(xml))
