"""Builders for tests that run real .xlsx files, filled in from a kind's template, through
the whole import pipeline (`services.import_run`), as an upload would."""

import io
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl
import pytest
from django.apps import apps

from ruraledu.audit.models import AuditEvent
from ruraledu.spreadsheets.base import IMPORTERS, ImportResult
from ruraledu.spreadsheets.services import ImportRejected, import_run
from ruraledu.spreadsheets.xlsx_template import write_template

YEAR = 2024
REGISTRY_APPS = ("orgunits", "facilities", "workforce", "students", "activities")


def template_file(kind: str, *rows: dict) -> bytes:
    """The kind's downloadable template with `rows` from row 3 on, cells given by column
    key (a choice cell holds its label, as the template's dropdown writes it)."""
    spec = IMPORTERS[kind].spec
    stream = io.BytesIO()
    write_template(spec, stream)
    book = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    sheet = book[spec.title]
    keys = [c.key for c in spec.columns]
    for offset, row in enumerate(rows):
        unknown = set(row) - set(keys)
        assert not unknown, f"{kind} has no columns {unknown}"
        for key, value in row.items():
            sheet.cell(row=3 + offset, column=keys.index(key) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def columns_file(kind: str, keys: list[str], *rows: dict) -> bytes:
    """A file holding only the kind's columns `keys` (a user's own sheet, or an older
    template), headers in row 1, `rows` below."""
    spec = IMPORTERS[kind].spec
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = spec.title
    sheet.append([spec.column(k).header for k in keys])
    for row in rows:
        sheet.append([row.get(k) for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_file(kind: str, data: bytes, user, *, year: int = YEAR) -> ImportResult:
    return import_run(kind=kind, data=data, filename=f"{kind}.xlsx", year=year, user=user)


def refusal(kind: str, data: bytes, user, *, year: int = YEAR) -> list[str]:
    """The messages (sheet, row, column, value, rule) of the file's refusal, in order."""
    try:
        import_file(kind, data, user, year=year)
    except ImportRejected as refused:
        return [str(error) for error in refused.errors]
    pytest.fail(f"{kind}: the bad file was imported")


def sheet(title: str, row: int, column: str, value, message: str) -> str:
    """A refusal's message about one cell, as the user reads it."""
    shown = f"（值：{value}）" if value != "" else ""
    return f"工作表“{title}”第 {row} 行“{column}”列{shown}：{message}"


def whole_row(title: str, row: int, message: str) -> str:
    return f"工作表“{title}”第 {row} 行：{message}"


def choice(labels: str) -> str:
    """The rule broken by a label not in a choice column's dropdown."""
    return f"不在可选范围内，请从下拉列表中选择（{labels}）"


def stored_state() -> dict:
    """Every row of every registry table and of the audit trail, to show what changed."""
    state = {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for label in REGISTRY_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    state["audit"] = AuditEvent.objects.count()
    return state


@dataclass(frozen=True)
class FileCase:
    """One importer's good file and bad file. `records()` reads back what the good file
    should have stored, to compare with `stored`; `errors` are the bad file's refusal."""

    kind: str
    good: tuple[dict, ...]
    records: Callable[[], list]
    stored: list
    bad: tuple[dict, ...]
    errors: list[str]

    def __str__(self) -> str:
        return self.kind


def check_good_file(case: FileCase, user) -> None:
    # when the good file is imported
    result = import_file(case.kind, template_file(case.kind, *case.good), user)
    # then every row is new and stored exactly as the file says
    counts = (result.created, result.updated, result.unchanged)
    assert counts == (len(case.good), 0, 0), counts
    records = case.records()
    assert records == case.stored, records


def check_bad_file(case: FileCase, user) -> None:
    # given what is stored
    before = stored_state()
    # when the bad file is imported, then every problem is named and nothing is written
    errors = refusal(case.kind, template_file(case.kind, *case.bad), user)
    assert errors == case.errors, "\n".join(errors)
    assert stored_state() == before


def check_reimport(case: FileCase, user) -> None:
    # given the good file imported once
    data = template_file(case.kind, *case.good)
    import_file(case.kind, data, user)
    before = stored_state()
    # when it is imported again
    result = import_file(case.kind, data, user)
    # then nothing is created, changed or audited
    counts = (result.created, result.updated, result.unchanged)
    assert counts == (0, 0, len(case.good)), counts
    assert stored_state() == before
