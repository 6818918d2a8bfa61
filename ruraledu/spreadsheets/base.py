"""The contract between the generic Excel machinery and each app's importer.

An app describes its sheet with a `SheetSpec` (Chinese headers, types, enumerations) and
subclasses `Importer`; the spreadsheets app does the rest: templates with dropdowns, reading,
cell parsing, upload safety, all-or-nothing runs, error reports and exports.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar


@dataclass(frozen=True)
class Column:
    key: str  # key in the parsed row dict
    header: str  # Chinese header in row 1 of the sheet
    kind: str = "text"  # text | int | decimal | date | bool | choice | id_number
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, Chinese label); cells hold labels
    note: str = ""  # shown in the notes row under the header
    width: int = 14
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class SheetSpec:
    kind: str  # importer key, e.g. "students"
    title: str  # sheet name and the kind's Chinese name, e.g. "学生名册"
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


SHOWN_VALUE = 60  # characters of a cell's text shown beside its error


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int  # 1-based Excel row number
    column: str  # Chinese header ("" for a whole-row problem)
    value: str  # the cell's text as the user typed it
    message: str  # the rule broken, in Chinese

    def __post_init__(self) -> None:
        # enough to find the cell: a 32,767-character cell would fill the error list (and
        # the stored job) with one value
        if isinstance(self.value, str) and len(self.value) > SHOWN_VALUE:
            shown = f"{self.value[:SHOWN_VALUE]}…（共 {len(self.value)} 字）"
            object.__setattr__(self, "value", shown)

    def __str__(self) -> str:
        # row 0: the sheet (or file) as a whole
        where = f"工作表“{self.sheet}”" + (f"第 {self.row} 行" if self.row else "")
        if self.column:
            where += f"“{self.column}”列"
        shown = f"（值：{self.value}）" if self.value not in ("", None) else ""
        return f"{where}{shown}：{self.message}"


class ErrorSink:
    """Where an importer's checks put their findings about its rows.

    `bad(row, key, message)` records a `CellError` naming the row, the column of `key` (""
    for a whole-row problem) and the cell's text as typed; `at(row)` is the same bound to one
    row, `bad(key, message)`. Without an `errors` list the findings are dropped: a `write()`
    that reruns the checks only to collect values has nothing to report.
    """

    def __init__(self, spec: SheetSpec, errors: list[CellError] | None) -> None:
        self.spec, self.errors = spec, errors

    def bad(self, row: "Row", key: str, message: str) -> None:
        if self.errors is None:
            return
        header = self.spec.column(key).header if key else ""
        self.errors.append(
            CellError(self.spec.title, row.number, header, row.raw.get(key, ""), message)
        )

    def at(self, row: "Row") -> Callable[[str, str], None]:
        return partial(self.bad, row)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    messages: list[str] = field(default_factory=list)
    # model label -> pks of the records created, for the import's audit row (bulk importers
    # whose created rows are too many for one audit row each)
    created_ids: dict[str, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


class Row:
    """One data row: `values` maps key -> parsed value (None for an empty cell); `raw` maps
    key -> the cell's text as typed, for error messages. The reader keeps values and texts
    by column (key -> list over the sheet's rows) and builds a row's dicts only when asked."""

    __slots__ = ("number", "_values", "_raw", "_table", "_index")

    def __init__(
        self,
        number: int,
        values: dict | None = None,
        raw: dict | None = None,
        *,
        table=None,
        index=0,
    ):
        self.number = number
        self._values = values
        self._raw = raw
        self._table = table  # (values by column, texts by column)
        self._index = index  # this row's position in them

    @property
    def values(self) -> dict:
        if self._values is None:
            self._values = self._from_table(0)
        return self._values

    @property
    def raw(self) -> dict:
        if self._raw is None:
            self._raw = self._from_table(1)
        return self._raw

    def _from_table(self, part: int) -> dict:
        i = self._index
        return {key: column[i] for key, column in self._table[part].items()}

    def __repr__(self) -> str:
        return f"Row({self.number}, {self.values!r})"


class Rows(list):
    """The reader's rows; `columns` holds the same parsed values by column (key -> values in
    row order), so a bulk importer can take a whole column without a Python step per row.
    `absent` are the keys of the template's columns the file does not have: they read as
    blank, and a file that would so clear what a stored record holds is refused."""

    def __init__(
        self, rows=(), columns: dict[str, list] | None = None, absent: frozenset[str] = frozenset()
    ):
        super().__init__(rows)
        self.columns = columns
        self.absent = absent


def column(rows: list[Row], key: str) -> list:
    """The parsed values of one column over `rows` (the reader's, or any list of rows).
    Read-only: the reader's blank columns share one list."""
    columns = getattr(rows, "columns", None)
    if columns is not None:
        return columns[key]
    return [row.values[key] for row in rows]


def absent(rows) -> frozenset[str]:
    """The keys of the columns the file lacks (none for rows not from the reader)."""
    return getattr(rows, "absent", frozenset())


class ColumnsMissing(Exception):  # noqa: N818 - a refusal, told to the user
    """A file without some of the template's columns would clear what stored records hold
    in them (raised by a write: the import is rolled back and refused)."""

    def __init__(self, keys, records: int):
        super().__init__(keys, records)
        self.keys, self.records = set(keys), records

    def message(self, spec: "SheetSpec") -> str:
        listed = "、".join(f"“{c.header}”" for c in spec.columns if c.key in self.keys)
        return (
            f"文件中没有{listed}列：按此文件导入会清除 {self.records} 条已登记记录中这些项的内容，"
            "未导入任何数据。请补上这些列并填写现有内容（可下载最新模板）后重新导入"
        )


class Importer:
    """Subclass per kind of record and register with @register."""

    spec: ClassVar[SheetSpec]
    # the action the uploader must hold somewhere; each row is still checked against the
    # importer's own scope (the aid grants take the care officers' CARE, not CHANGE)
    upload_action: ClassVar[str] = "change"
    exports: ClassVar[bool] = True  # offered as a whole-scope export on the import page

    def validate(self, rows: list[Row], *, year: int, user) -> list[CellError]:
        """Cross-row and database checks (unknown school code, duplicates, scope …).
        Cell types were already checked. Return every error; write nothing."""
        raise NotImplementedError

    def write(self, rows: list[Row], *, year: int, user) -> ImportResult:
        """Upsert by natural key. Called inside one transaction, only when validate found nothing."""
        raise NotImplementedError

    def export_rows(self, *, year: int, user, school: str | None = None):
        """Rows (dicts keyed like the spec) of the records the user may see, for export.
        `school` (a school's code) lets a kind with a school column read only that school's
        records; the export view keeps only its rows in any case."""
        raise NotImplementedError


def at_school(queryset, school: str | None):
    """`queryset` (records with a `school`) narrowed to the school of that code, when given:
    one school's export must not read, and decrypt, the whole district's records."""
    return queryset.filter(school__org_unit__code=school) if school else queryset


IMPORTERS: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    IMPORTERS[cls.spec.kind] = cls
    return cls


def get_importer(kind: str) -> Importer:
    try:
        return IMPORTERS[kind]()
    except KeyError:
        known = "、".join(f"{k}（{c.spec.title}）" for k, c in IMPORTERS.items())
        raise KeyError(f"未知的数据类型“{kind}”，可选：{known}") from None
