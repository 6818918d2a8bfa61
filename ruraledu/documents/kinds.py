"""The document kinds: one template and one context builder each."""

from ruraledu.accounts.policy import is_bureau

from . import progress_report
from .engine import Kind

KINDS: dict[str, Kind] = {
    "progress_report": Kind(
        code="progress_report",
        label="进展情况报告",
        template="progress_report.docx",
        build_context=progress_report.build_context,
        write_body=progress_report.write_body,
        allowed=is_bureau,
        placeholders={
            "plan": ("方案名称", lambda c: c["plan"].title),
            "period": ("报告期（如“2026年第一季度”）", lambda c: c["period"].label),
        },
    ),
}
