"""Plain-language pieces of a result: “还需：骨干教师 1 名、体育运动场馆 320 ㎡”."""

from ruraledu.indicators.definitions.quality import RESOURCES

from .checker import PARTS
from .solver import ADDITIONS


def needs_text(adds: dict) -> str:
    if not adds:
        return "无需新增"
    parts = [f"{ADDITIONS[k][0]} {adds[k]:,} {ADDITIONS[k][1]}" for k in ADDITIONS if adds.get(k)]
    return "还需：" + "、".join(parts)


def verdict_text(judged: dict) -> str:
    if judged["verdict"]:
        return "达标"
    return "未达标（" + "、".join(RESOURCES[k][0] for k in judged["short"]) + "未达标准）"


def coefficient_label(row: dict) -> str:
    return f"{PARTS[row['part']]}{RESOURCES[row['key']][0]}"


def indicator_rows(school: dict) -> list[dict]:
    """Per indicator: standard, value before and after."""
    return [
        {
            "label": RESOURCES[k][0],
            "threshold": school["thresholds"][k],
            "before": school["before"]["values"][k],
            "after": school["after"]["values"][k],
        }
        for k in RESOURCES
    ]
