"""The document kinds: one template and one context builder each."""

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, is_bureau

from . import diagnosis, notices, progress_report, self_assessment
from .engine import Kind


def reaches_units(user) -> bool:
    """Any role on the org tree (bureau, town, school, inspector ...): the unit is checked
    against the user's reach when the document is made and when it is read."""
    return bool(Reach(user, Action.VIEW))


KINDS: dict[str, Kind] = {
    "progress_report": Kind(
        code="progress_report",
        label="进展情况报告",
        template="progress_report.docx",
        build_context=progress_report.build_context,
        write_body=progress_report.write_body,
        allowed=is_bureau,
        # written for the 区政府: the district leader and the district's other readers read it
        readable=reaches_units,
        placeholders={
            "plan": ("方案名称", lambda c: c["plan"].title),
            "period": ("报告期（如“2026年第一季度”）", lambda c: c["period"].label),
        },
    ),
    "school_diagnosis": Kind(
        code="school_diagnosis",
        label="学校诊断报告",
        template="school_diagnosis.docx",
        build_context=diagnosis.build_context,
        write_body=diagnosis.write_body,
        allowed=reaches_units,
        placeholders={
            "school": ("学校名称", lambda c: c["school"].name),
            "town": ("所属镇街", lambda c: c["town"].name if c["town"] else ""),
            "year": ("学年（如“2025”）", lambda c: str(c["year"] or "")),
        },
    ),
    "self_assessment": Kind(
        code="self_assessment",
        label="优质均衡/普及普惠自评报告",
        template="self_assessment.docx",
        build_context=self_assessment.build_context,
        write_body=self_assessment.write_body,
        allowed=self_assessment.may_assess,
        readable=reaches_units,  # kept at the district: read by those who reach it
        placeholders={"year": ("学年（如“2025”）", lambda c: str(c["year"] or ""))},
    ),
    "rectification_notice": Kind(
        code="rectification_notice",
        label="整改通知书",
        template="rectification_notice.docx",
        build_context=notices.rectification_context,
        write_body=notices.rectification_body,
        allowed=reaches_units,
        placeholders={
            "number": ("文号（如“川教督整〔2026〕12号”）", lambda c: c["notice"].label),
            "addressee": ("主送单位（学校）", lambda c: c["notice"].school.org_unit.name),
            "issued_on": (
                "下发日期",
                lambda c: "{0.year}年{0.month}月{0.day}日".format(c["notice"].issued_on),
            ),
        },
        versioned=False,
        issuer=lambda c: "区教体局督导室",
        dated=lambda c: c["notice"].issued_on,
    ),
    "return_notice": Kind(
        code="return_notice",
        label="限期返校通知书",
        template="return_notice.docx",
        build_context=notices.return_context,
        write_body=notices.return_body,
        allowed=reaches_units,
        placeholders={
            "number": (
                "文号（如“昆仑镇教育办〔2025〕3号”）",
                lambda c: c["notice"].label,
            ),
            "addressee": (
                "监护人",
                lambda c: f"{c['notice'].guardian}（{c['case'].person.name}的监护人）",
            ),
            "issued_on": (
                "发出日期",
                lambda c: "{0.year}年{0.month}月{0.day}日".format(c["notice"].issued_on),
            ),
        },
        versioned=False,
        issuer=lambda c: f"{c['notice'].town.name}人民政府（教育办）",
        dated=lambda c: c["notice"].issued_on,
        write_after=notices.return_stub,
    ),
}
