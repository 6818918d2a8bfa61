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


def moves_text(school: dict) -> str:
    """“调入：王老师（来自 甲校）；调出：李老师（至 乙校）”."""
    parts = []
    if school.get("moves_in"):
        parts.append(
            "调入：" + "、".join(f"{m['name']}（来自 {m['from']}）" for m in school["moves_in"])
        )
    if school.get("moves_out"):
        parts.append(
            "调出：" + "、".join(f"{m['name']}（至 {m['to']}）" for m in school["moves_out"])
        )
    return "；".join(parts)


def years_text(school: dict) -> list[str]:
    """Per year of a plan over several years: “2025 学年：骨干教师 1 名”."""
    return [
        f"{row['year']} 学年：" + needs_text(row["adds"]).removeprefix("还需：")
        for row in school.get("by_year", [])
    ]
