"""The bureau's inputs of a scenario, checked before they are stored or solved."""

from django.core.exceptions import ValidationError

COSTS = {
    "r1": "高于规定学历教师（每名每年，元）",
    "r2": "骨干教师（每名每年，元）",
    "r3": "体育、艺术教师（每名每年，元）",
    "r4": "教学及辅助用房（每㎡，元）",
    "r5": "体育运动场馆（每㎡，元）",
    "r6": "教学仪器设备（每元设备值，元）",
    "r7": "网络多媒体教室（每间，元）",
}
DEFAULTS = {
    "costs": {
        "r1": 120000,
        "r2": 150000,
        "r3": 120000,
        "r4": 3000,
        "r5": 1200,
        "r6": 1,
        "r7": 80000,
    },
    "max_area": 3000,
    "max_posts": 10,
    "limits": {},
    "budget": None,
    "time_limit": 10,
    "years": 1,
    "enrolment": "roster",
    "movers_source": "none",
    "move_cost": 20000,
    "movers": [],
}
# how the error messages and the audit trail name the keys of a scenario's inputs
LABELS = {
    "years": "分年实施年数",
    "enrolment": "在校生口径",
    "movers_source": "教师调动来源",
    "move_cost": "每次调动费用（元）",
    "movers": "可调动教师名单",
    "costs": "单位费用",
    "max_area": "每校最大新增面积（㎡）",
    "max_posts": "每校最大新增编制（名）",
    "limits": "个别学校限额",
    "budget": "预算（元）",
    "time_limit": "求解时限（秒）",
}
ENROLMENT = {"roster": "目标学年的在校生（学籍）", "forecast": "生源预测的目标学年预测人数"}
MOVERS = {
    "none": "不调动教师",
    "list": "按下列名单调动",
    "rotation": "交流轮岗符合条件的教师",
}


def _number(value, label: str, *, required: bool = True) -> float | None:
    if value in (None, ""):
        if required:
            raise ValidationError(f"{label}不能为空。")
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{label}必须是数字，收到“{value}”。") from None
    if number != number or number < 0:
        raise ValidationError(f"{label}不能为负数，收到“{value}”。")
    return number


def parse_limits(text: str) -> dict[str, dict[str, float]]:
    """Lines “学校代码,最大新增面积,最大新增编制”: the land or posts a school can take."""
    limits = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) != 3 or not parts[0]:
            raise ValidationError(
                f"每校限额第 {number} 行“{line}”格式不对：应为“学校代码,最大新增面积,最大新增编制”。"
            )
        limits[parts[0]] = {
            "area": _number(parts[1], f"每校限额第 {number} 行的最大新增面积"),
            "posts": _number(parts[2], f"每校限额第 {number} 行的最大新增编制"),
        }
    return limits


def parse_movers(text: str) -> list[list]:
    """Lines “教师姓名,现任学校代码[,调动费用]”: the teachers the bureau lets move."""
    movers = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            raise ValidationError(
                f"可调动教师第 {number} 行“{line}”格式不对：应为“教师姓名,现任学校代码[,调动费用]”。"
            )
        cost = (
            _number(parts[2], f"可调动教师第 {number} 行的调动费用", required=False)
            if len(parts) == 3
            else None
        )
        movers.append([parts[0], parts[1], cost])
    return movers


def _choice(value, choices: dict, label: str, default: str) -> str:
    value = value or default
    if value not in choices:
        raise ValidationError(f"{label}“{value}”无效，应为：{'、'.join(choices.values())}。")
    return value


def inputs_clean(raw: dict) -> dict:
    """Costs required and not negative; limits, budget and time limit checked."""
    costs = {
        k: _number(raw.get("costs", {}).get(k), f"单位费用“{label}”") for k, label in COSTS.items()
    }
    limits = raw.get("limits") or {}
    if isinstance(limits, str):
        limits = parse_limits(limits)
    time_limit = _number(raw.get("time_limit", 10), LABELS["time_limit"])
    if not 1 <= time_limit <= 600:
        raise ValidationError("求解时限应在 1 至 600 秒之间。")
    years = _number(raw.get("years") or 1, LABELS["years"])
    if years != int(years) or not 1 <= years <= 10:
        raise ValidationError(f"分年实施年数应为 1 至 10 的整数，收到“{raw.get('years')}”。")
    movers = raw.get("movers") or []
    if isinstance(movers, str):
        movers = parse_movers(movers)
    source = _choice(raw.get("movers_source"), MOVERS, LABELS["movers_source"], "none")
    if source == "list" and not movers:
        raise ValidationError("选择了“按下列名单调动”，但可调动教师名单为空。")
    return {
        "years": int(years),
        "enrolment": _choice(raw.get("enrolment"), ENROLMENT, LABELS["enrolment"], "roster"),
        "movers_source": source,
        "move_cost": _number(
            raw.get("move_cost") if raw.get("move_cost") not in (None, "") else 20000,
            LABELS["move_cost"],
        ),
        "movers": movers,
        "costs": costs,
        "max_area": _number(raw.get("max_area"), LABELS["max_area"]),
        "max_posts": _number(raw.get("max_posts"), LABELS["max_posts"]),
        "limits": limits,
        "budget": _number(raw.get("budget"), LABELS["budget"], required=False),
        "time_limit": time_limit,
    }
