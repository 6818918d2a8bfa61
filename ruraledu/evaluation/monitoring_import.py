"""The 国家义务教育质量监测 results the district receives, typed into Excel: one row per grade
and subject with the district's 学业表现水平 and 校际差异率. The bureau imports them for a school
year; the file is checked as a whole and written all-or-nothing (a re-import updates by grade and
subject), then the year's indicators are recomputed."""

from io import BytesIO

from django.db import transaction

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record
from ruraledu.spreadsheets.base import CellError, Column, ErrorSink, SheetSpec
from ruraledu.spreadsheets.reader import read_sheet
from ruraledu.spreadsheets.safety import check_upload
from ruraledu.spreadsheets.services import ImportRejected, sort_errors
from ruraledu.spreadsheets.xlsx_template import write_template

from .choices import MonitoringGrade, MonitoringLevel
from .models import MonitoringResult
from .services import _ensure_bureau

# cells hold the labels (or the numbers as text): the reader matches text
GRADES = tuple((str(value), label) for value, label in MonitoringGrade.choices)
LEVELS = tuple((str(value), label) for value, label in MonitoringLevel.choices)
SPEC = SheetSpec(
    kind="monitoring_results",
    title="质量监测结果",
    columns=(
        Column("grade", "年级", "choice", required=True, choices=GRADES),
        Column("subject", "学科", required=True, note="如 数学、语文、科学、体育与健康"),
        Column("level", "学业表现水平", "choice", required=True, choices=LEVELS),
        Column(
            "school_gap", "校际差异率", "decimal", required=True, min_value=0, max_value=1, width=12
        ),
    ),
)


def template_bytes() -> bytes:
    stream = BytesIO()
    write_template(SPEC, stream)
    return stream.getvalue()


def results_import(
    *, unit, year: int, actor, data: bytes, filename: str, recompute: bool = True
) -> tuple[int, int]:
    """Check the whole file, then write every row as the district `unit`'s results in one
    transaction; (added, updated).
    Raises UploadRefused or ImportRejected (every error, nothing written). `recompute=False`
    leaves the year's recompute to the caller (the demo recomputes everything after it)."""
    _ensure_bureau(actor, unit)
    check_upload(data, filename)
    rows, errors = read_sheet(SPEC, data, filename)
    sink = ErrorSink(SPEC, errors)
    wanted: dict[tuple, dict] = {}
    first_row: dict[tuple, int] = {}
    for row in rows:
        v = row.values
        if v["grade"] is None or not v["subject"]:
            continue  # the reader reported the cell
        key = (int(v["grade"]), v["subject"].strip())
        if key in first_row:
            sink.at(row)("subject", f"同一年级、学科重复（与第 {first_row[key]} 行相同）")
            continue
        first_row[key] = row.number
        if v["level"] is None or v["school_gap"] is None:
            continue
        wanted[key] = {"level": int(v["level"]), "school_gap": float(v["school_gap"])}
    if not rows and not errors:
        errors.append(CellError(SPEC.title, 0, "", "", f"文件“{filename}”中没有监测结果"))
    if errors:
        raise ImportRejected(sort_errors(errors, SPEC))
    held = MonitoringResult.objects.filter(unit=unit, year=year)
    stored = {(r.grade, r.subject): r for r in held}
    added = updated = 0
    with transaction.atomic():
        for (grade, subject), values in wanted.items():
            record = stored.get((grade, subject))
            if record is None:
                record = MonitoringResult.objects.create(
                    unit=unit,
                    year=year,
                    grade=grade,
                    subject=subject,
                    source_name=filename[:255],
                    imported_by=actor,
                    **values,
                )
                before, action = {}, AuditAction.CREATE
                added += 1
            else:
                before = {k: getattr(record, k) for k in values if getattr(record, k) != values[k]}
                if not before:
                    continue
                for key, value in values.items():
                    setattr(record, key, value)
                record.source_name, record.imported_by = filename[:255], actor
                record.save()
                action = AuditAction.UPDATE
                updated += 1
            audit_record(
                actor=actor,
                instance=record,
                action=action,
                before=before,
                after=values,
                summary=f"导入质量监测结果：{unit.name}{year}学年 {record}（{filename}）",
            )
        if recompute and (added or updated):
            from ruraledu.indicators.jobs import recompute_request

            recompute_request(years=[year], user=actor, reason="导入质量监测结果")
    return added, updated
