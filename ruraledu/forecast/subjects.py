"""缺编/超编 by subject: the weekly lessons each school's classes need next year (the national
curriculum's lessons per grade, editable by the bureau) over a teacher's standard weekly load,
against the full-time teachers of each subject the school holds in the base year."""

from collections import defaultdict

from django.core.exceptions import ValidationError

from ruraledu.workforce.choices import Subject

# weekly lessons per grade 1–9, after 《义务教育课程方案（2022年版）》 (科学 from grade 1, 信息科技
# grades 3–8, 劳动 every grade); a province's own timetable is entered on the page
CURRICULUM = {
    "politics": [2, 2, 2, 2, 2, 2, 2, 2, 2],
    "chinese": [8, 8, 7, 7, 6, 6, 5, 5, 5],
    "maths": [4, 4, 5, 5, 5, 5, 4, 4, 4],
    "english": [0, 0, 2, 2, 3, 3, 4, 4, 4],
    "science": [1, 1, 2, 2, 2, 2, 0, 0, 0],
    "physics": [0, 0, 0, 0, 0, 0, 0, 2, 3],
    "chemistry": [0, 0, 0, 0, 0, 0, 0, 0, 3],
    "biology": [0, 0, 0, 0, 0, 0, 2, 2, 0],
    "geography": [0, 0, 0, 0, 0, 0, 2, 2, 0],
    "history": [0, 0, 0, 0, 0, 0, 2, 2, 2],
    "pe": [4, 4, 3, 3, 3, 3, 3, 3, 3],
    "music": [2, 2, 2, 2, 2, 2, 1, 1, 1],
    "art": [2, 2, 2, 2, 2, 2, 1, 1, 1],
    "it": [0, 0, 1, 1, 1, 1, 1, 1, 0],
    "labour": [1, 1, 1, 1, 1, 1, 1, 1, 1],
}
LABELS = {s.value: s.label for s in Subject if s.value in CURRICULUM}
JUNIOR_FIRST_GRADE = 7


def lesson_hours(rule) -> dict[str, list[float]]:
    return {**CURRICULUM, **(rule.lesson_hours or {})}


def hours_text(rule) -> str:
    return "\n".join(
        ",".join([LABELS[s]] + [f"{h:g}" for h in hours]) for s, hours in lesson_hours(rule).items()
    )


def parse_hours(text: str) -> dict[str, list[float]]:
    """Lines “学科,1年级,…,9年级” (nine numbers of weekly lessons); each line checked."""
    by_label = {label: value for value, label in LABELS.items()}
    hours = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        where = f"学科课时第 {number} 行“{line}”"
        if parts[0] not in by_label:
            raise ValidationError(
                f"{where}：学科“{parts[0]}”不在 {'、'.join(LABELS.values())} 之中。"
            )
        if len(parts) != 10:
            raise ValidationError(f"{where}：应为学科名加 1—9 年级共 9 个周课时数。")
        try:
            values = [float(p) for p in parts[1:]]
        except ValueError:
            raise ValidationError(f"{where}：周课时必须是数字。") from None
        if any(v < 0 or v > 20 for v in values):
            raise ValidationError(f"{where}：周课时应在 0 至 20 之间。")
        hours[by_label[parts[0]]] = values
    if not hours:
        raise ValidationError("学科课时不能为空。")
    return hours


def teachers_needed(demand: float) -> int:
    """Lessons over the load, rounded; a subject the school teaches at all needs one teacher."""
    if demand <= 0:
        return 0
    return max(1, int(demand + 0.5))


def school_subjects(classes: dict[int, int], held: dict[str, int], rule) -> list[dict]:
    """Per subject: weekly lessons, teachers by the load (to one decimal), teachers needed,
    held, 缺编 and 超编. `classes` is grade -> classes next year."""
    hours = lesson_hours(rule)
    rows = []
    for subject, per_grade in hours.items():
        lessons = sum(n * per_grade[g - 1] for g, n in classes.items() if 1 <= g <= 9)
        demand = sum(
            n
            * per_grade[g - 1]
            / (
                rule.junior_weekly_lessons
                if g >= JUNIOR_FIRST_GRADE
                else rule.primary_weekly_lessons
            )
            for g, n in classes.items()
            if 1 <= g <= 9
        )
        needed, have = teachers_needed(demand), held.get(subject, 0)
        if not needed and not have:
            continue
        rows.append(
            {
                "subject": subject,
                "label": LABELS[subject],
                "lessons": lessons,
                "demand": round(demand, 1),
                "needed": needed,
                "held": have,
                "short": max(0, needed - have),
                "over": max(0, have - needed),
            }
        )
    return rows


def town_totals(lines: list[dict]) -> list[dict]:
    """Per town and subject: needed, held, 缺编 and 超编 summed over its schools."""
    towns: dict[str, dict[str, dict]] = defaultdict(dict)
    for line in lines:
        for row in line["subjects"]:
            t = towns[line["town"]].setdefault(
                row["subject"],
                {"label": row["label"], "needed": 0, "held": 0, "short": 0, "over": 0},
            )
            for key in ("needed", "held", "short", "over"):
                t[key] += row[key]
    order = list(CURRICULUM)
    return [
        {"name": town, "subjects": [subjects[s] for s in order if s in subjects]}
        for town, subjects in towns.items()
    ]


def gaps_text(rows: list[dict], key: str) -> str:
    return "、".join(f"{r['label']} {r[key]}" for r in rows if r[key]) or "—"
