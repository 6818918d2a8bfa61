"""How the audit trail reads a 走教方案's inputs and solution: a short Chinese summary instead
of the nested JSON (English keys, every school's figures) the scenario stores."""

from ruraledu.workforce.choices import Subject


def _subject(key: str) -> str:
    return Subject(key).label if key in Subject.values else key


def travel_inputs(inputs: dict) -> str:
    from .travel_data import HOURS

    # in the page's order of subjects (PostgreSQL keeps JSON keys in an order of its own)
    order = {key: n for n, key in enumerate(HOURS)}
    given = sorted((inputs.get("hours") or {}).items(), key=lambda kv: order.get(kv[0], len(order)))
    hours = "、".join(f"{_subject(k)} {v} 节" for k, v in given)
    parts = [
        f"每班每周课时：{hours}" if hours else "",
        f"教师每周最多 {inputs['weekly_max']} 节" if "weekly_max" in inputs else "",
        f"每次到校最多 {inputs['per_day']} 节" if "per_day" in inputs else "",
        f"每人每周最多 {inputs['km_cap']} 公里" if "km_cap" in inputs else "",
        f"未填距离按 {inputs['default_km']} 公里" if "default_km" in inputs else "",
        f"填写校间距离 {len(inputs.get('distances') or [])} 对",
        f"学校自定需求 {len(inputs.get('needs') or [])} 条",
        travel_locks(inputs.get("locks") or []),
    ]
    return "；".join(p for p in parts if p)


def travel_locks(locks: list) -> str:
    forbidden = sum(1 for *_, lessons in locks if not lessons)
    text = f"锁定的走教安排 {len(locks) - forbidden} 项"
    return f"{text}、禁止的 {forbidden} 项" if forbidden else text


def travel_result(result: dict) -> str:
    if not result.get("feasible"):
        return f"无可行方案：{result.get('message') or '未求解'}"
    return (
        f"需求 {result.get('need', 0)} 节，覆盖 {result.get('covered', 0)} 节；"
        f"走教安排 {len(result.get('assignments') or [])} 项，每周共 {float(result.get('km') or 0):g} 公里"
        + ("（求解超时，为当前最好结果）" if result.get("timed_out") else "")
    )


def _number(value) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:.2f}".rstrip("0")


def scenario_inputs(inputs: dict) -> str:
    """A 达标最低成本方案's inputs by the names the form and its checks use."""
    from .inputs import COSTS, ENROLMENT, LABELS, MOVERS

    def shown(key, value) -> str:
        if key == "costs":
            return "、".join(f"{COSTS.get(k, k)} {_number(v)}" for k, v in value.items())
        if key == "enrolment":
            return ENROLMENT.get(value, value)
        if key == "movers_source":
            return MOVERS.get(value, value)
        if key == "movers":
            return f"{len(value)} 人"
        if key == "limits":
            return f"{len(value)} 所学校"
        if value is None:
            return "不限"
        return _number(value) if isinstance(value, int | float) else str(value)

    order = {key: n for n, key in enumerate(LABELS)}
    given = sorted(inputs.items(), key=lambda kv: order.get(kv[0], len(order)))
    return "；".join(f"{LABELS.get(k, k)}：{shown(k, v)}" for k, v in given)
