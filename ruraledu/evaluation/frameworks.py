"""Load both frameworks' indicators from the reference files into EvaluationItem.

The files give code, part, wording, the threshold as text and the kind of each item; how a
threshold is compared (and which engine indicator answers an item) is stated once below.
Loading is idempotent; thresholds the bureau edited are kept.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record

from .choices import Comparator, Framework, ItemKind
from .models import EvaluationItem

FILES = Path(__file__).parent / "frameworks"
GE, LE, JUDGED = Comparator.AT_LEAST, Comparator.AT_MOST, Comparator.JUDGED


@dataclass(frozen=True)
class Rule:
    comparator: str = JUDGED
    threshold: float | None = None
    label: str = ""
    unit: str = "%"
    second: tuple | None = None  # (label, comparator, threshold[, unit: the first's if left out])
    indicator: str = ""
    second_indicator: str = ""
    kind: str = ""  # overrides the file's kind
    provisional: bool = False


def _share(label: str, threshold: float = 100.0, **extra) -> Rule:
    return Rule(GE, threshold, label, **extra)


RESOURCE_KEYS = ("r1", "r2", "r3", "r4", "r5", "r6", "r7")

YZJH_RULES: dict[str, Rule] = {
    "R0": Rule(
        GE,
        100.0,
        "逐校达标的学校比例",
        indicator="yzjh_school_compliance_rate",
        provisional=True,  # the 85 % part of the rule was not confirmed in the sources
    ),
    **{
        f"R{n}": Rule(
            LE,
            0.50,
            "小学校际差异系数",
            unit="",
            second=("初中校际差异系数", LE, 0.45),
            indicator=f"yzjh_cv_{key}_primary",
            second_indicator=f"yzjh_cv_{key}_junior",
        )
        for n, key in enumerate(RESOURCE_KEYS, start=1)
    },
    "G03": _share("音乐、美术专用教室达标的学校比例", indicator="evaluation_music_art_rooms_rate"),
    "G04": _share("规模不超标的学校比例", indicator="evaluation_school_size_rate"),
    "G05": _share("班额不超标的班级比例", indicator="evaluation_class_size_rate"),
    "G06": _share("按规定核定公用经费的学校比例", indicator="evaluation_public_funds_rate"),
    # the file judges it from documents; the bureau receives it as a figure each year
    "G07": _share("教师平均工资收入 ÷ 当地公务员平均工资收入", kind=ItemKind.MEASURED),
    "G08": _share("教师 5 年 360 学时培训完成率", indicator="evaluation_training_hours_rate"),
    "G10": Rule(
        GE,
        10.0,
        "交流轮岗教师占符合条件教师比例",
        second=("骨干教师占交流轮岗教师比例", GE, 20.0),
        indicator="evaluation_rotation_rate",
        second_indicator="evaluation_rotation_backbone_rate",
    ),
    "G11": _share("专任教师持证上岗率", indicator="evaluation_certificate_rate"),
    "G12": Rule(
        GE,
        100.0,
        "小学就近划片入学比例",
        second=("初中就近划片入学比例", GE, 95.0),
        indicator="evaluation_nearby_primary_rate",
        second_indicator="evaluation_nearby_junior_rate",
    ),
    "G13": _share("优质高中招生名额分配到初中的比例", 50.0),
    "G14": _share(
        "随迁子女在公办及购买服务民办学校就读比例",
        85.0,
        indicator="evaluation_migrant_public_rate",
    ),
    "Q01": _share("初中三年巩固率", 95.0, indicator="evaluation_junior_retention_rate"),
    "Q02": _share("残疾儿童少年入学率", 95.0, indicator="disabled_child_enrolment_rate"),
    "Q04": _share(
        "按公用经费 5% 安排教师培训经费的学校比例", indicator="evaluation_training_funds_rate"
    ),
    "Q09": Rule(
        GE,
        100.0,
        "学业水平达到Ⅲ级以上的科目比例",
        second=("校际差异率", LE, 0.15, ""),
        indicator="evaluation_monitoring_level_rate",
        second_indicator="evaluation_monitoring_school_gap",
    ),
    "S01": _share("社会认可度", 85.0),
}

XQPJPH_RULES: dict[str, Rule] = {
    "P1": _share("学前三年毛入园率", 85.0, indicator="xqpjph_p1"),
    "P2": _share("普惠性幼儿园覆盖率", 80.0, indicator="xqpjph_p2"),
    "P3": _share("公办园在园幼儿占比", 50.0, indicator="xqpjph_p3"),
    "G3": Rule(
        GE,
        500.0,
        "公办园生均公用经费（元/年）",
        unit="元",
        indicator="xqpjph_g3",
        provisional=True,
    ),
    "G4": _share("公办园非在编教师平均工资 ÷ 在编教师平均工资", 75.0, provisional=True),
    "Q1": _share("班额达标率", 85.0, indicator="xqpjph_q1", provisional=True),
    "Q2": Rule(LE, 15.0, "在园幼儿数 ÷ 专任教师数", unit="", indicator="xqpjph_q2"),
    "Q3": _share("园长、专任教师持证上岗率", indicator="xqpjph_q3"),
    "Q4": Rule(
        GE,
        100.0,
        "新建园园舍达标率",
        second=("既有园园舍达标率", GE, 50.0),
        provisional=True,
    ),
    "S1": _share("社会认可度", 85.0),
}

# the department answerable for each item (the plan's department names); the bureau otherwise
BUREAU = "区教体局"
RESPONSIBLE = {
    "yzjh": {
        "G06": "区财政局",
        "G07": "区人力资源社会保障局",
        "G09": "区委编办",
        "G15": "区民政局",
    },
    "xqpjph": {"G2": "区住建局", "G3": "区财政局", "G4": "区人力资源社会保障局"},
}

# the files' shorthand for judged thresholds, as the page says it
JUDGED_TEXT = {
    "yes": "经评审认定符合要求",
    "yes/no": "经评审认定符合要求",
    "all schools": "所有学校均符合要求",
    "all classes": "所有班级均符合要求",
    "none": "未发生所列情形",
}

# wording of the file that is not yet fit for the page (English notes, question marks)
XQPJPH_NAMES = {
    "Q4": "园舍条件：室外游戏场地生均不低于 4㎡，活动用房、建筑面积生均达到标准（新建园全部达标，既有园至少半数达标）",
}

XQPJPH_KINDS = {"G1": ItemKind.EVIDENCE, "G2": ItemKind.EVIDENCE, "S1": ItemKind.SURVEY}
XQPJPH_PARTS = {"政府保障": "政府保障情况", "保教质量": "保教质量保障情况"}


def _rows(name: str) -> list[dict]:
    with open(FILES / name, encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def framework_rows() -> list[dict]:
    """Every item of both frameworks as EvaluationItem field values, in the methods' order."""
    rows = []
    resource = {f"R{n}": r for n, r in enumerate(_rows("yzjh_resource_indicators_2017.csv"), 1)}
    yzjh = [
        {
            "code": "R0",
            "part": "资源配置",
            "name_zh": "每所学校 7 项指标至少 6 项达到标准，其余 1 项不低于标准的 85%",
            "threshold": "all schools",
            "kind": "measured",
        },
        *(
            {
                "code": code,
                "part": "资源配置",
                "name_zh": f"{r['name_zh']}：小学、初中校际差异系数分别不高于 0.50、0.45",
                "threshold": f"小学 ≥{r['primary_min']}，初中 ≥{r['junior_min']}（{r['unit']}）",
                "kind": "measured",
            }
            for code, r in resource.items()
        ),
        *_rows("yzjh_full_2017.csv"),
    ]
    for row in yzjh:
        rows.append(_item(Framework.YZJH, row, YZJH_RULES, row["kind"], "教督〔2017〕6号"))
    for row in _rows("xqpjph_indicators_2020.csv"):
        kind = XQPJPH_KINDS.get(row["code"], ItemKind.MEASURED)
        row["part"] = XQPJPH_PARTS.get(row["dimension"], row["dimension"])
        row["name_zh"] = XQPJPH_NAMES.get(row["code"], row["name_zh"])
        item = _item(Framework.XQPJPH, row, XQPJPH_RULES, kind, "教督〔2020〕1号")
        item["provisional"] = item["provisional"] or "UNCERTAIN" in row["threshold"]
        rows.append(item)
    for order, item in enumerate(rows):
        item["order"] = order
    return rows


def _threshold_text(text: str) -> str:
    """The file's threshold as the page shows it; compilers' English notes are left out."""
    text = JUDGED_TEXT.get(text, text)
    return "" if re.search("[A-Za-z]{3,}", text) else text[:100]


def _item(framework: str, row: dict, rules: dict, kind: str, source: str) -> dict:
    rule = rules.get(row["code"], Rule())
    second = rule.second or ("", "", None, "")
    return {
        "framework": framework,
        "code": row["code"],
        "part": row["part"],
        "name": row["name_zh"],
        "kind": rule.kind or kind,
        "threshold_text": _threshold_text(row["threshold"]),
        "value_label": rule.label,
        "unit": rule.unit if rule.comparator != JUDGED else "",
        "comparator": rule.comparator,
        "threshold": rule.threshold,
        "second_label": second[0],
        "second_comparator": second[1],
        "second_threshold": second[2],
        "second_unit": second[3] if len(second) > 3 else rule.unit,
        "indicator_code": rule.indicator,
        "second_indicator_code": rule.second_indicator,
        "provisional": rule.provisional,
        "source": source,
        "responsible": RESPONSIBLE[framework].get(row["code"], BUREAU),
    }


THRESHOLD_FIELDS = ("comparator", "threshold", "second_comparator", "second_threshold")


@transaction.atomic
def frameworks_load() -> tuple[int, int]:
    """Create or refresh every item; (created, updated). Thresholds the bureau edited stay."""
    stored = {(i.framework, i.code): i for i in EvaluationItem.objects.all()}
    created = updated = 0
    for values in framework_rows():
        item = stored.get((values["framework"], values["code"]))
        if item is None:
            EvaluationItem.objects.create(**values)
            created += 1
            continue
        if item.edited:
            values = {
                k: v for k, v in values.items() if k not in (*THRESHOLD_FIELDS, "provisional")
            }
        changes = {k: v for k, v in values.items() if getattr(item, k) != v}
        if changes:
            before = {key: getattr(item, key) for key in changes}
            for key, value in changes.items():
                setattr(item, key, value)
            item.save(update_fields=list(changes))
            audit_record(
                actor=None,
                instance=item,
                action=AuditAction.UPDATE,
                before=before,
                after=changes,
                summary=f"刷新评估指标：{item.code}",
            )
            updated += 1
    return created, updated
