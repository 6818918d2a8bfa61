"""The verdict rules of both methods, on plain values (no queries).

An item passes when its value (and its second value, where it has one) meets the threshold, or
when its latest expert review says so. A part passes when all its items pass. The district
passes when every item passes; a failed 一票否决 item fails it whatever else holds, and a
社会认可度 under the threshold is itself a veto. Missing data or a missing review leaves the
item 待认定, and the district cannot be judged while any item is.
"""

from dataclasses import dataclass, field

from ruraledu.indicators.compare import above, below

from .choices import Comparator, ItemKind, Verdict


def meets(value: float | None, comparator: str, threshold: float | None) -> str:
    """pass / fail / pending for one value against one threshold (within rounding)."""
    if value is None or threshold is None:
        return Verdict.PENDING
    if comparator == Comparator.AT_LEAST:
        return Verdict.FAIL if below(value, threshold) else Verdict.PASS
    if comparator == Comparator.AT_MOST:
        return Verdict.FAIL if above(value, threshold) else Verdict.PASS
    return Verdict.PENDING


def both(*verdicts: str) -> str:
    """fail if any fails, else pending if any is pending, else pass."""
    if Verdict.FAIL in verdicts:
        return Verdict.FAIL
    if Verdict.PENDING in verdicts:
        return Verdict.PENDING
    return Verdict.PASS


def measured_verdict(item, value: float | None, second: float | None) -> str:
    first = meets(value, item.comparator, item.threshold)
    if not item.has_second:
        return first
    return both(first, meets(second, item.second_comparator, item.second_threshold))


@dataclass
class ItemResult:
    item: object
    verdict: str
    value: float | None = None
    second_value: float | None = None
    basis: str = ""  # where the value or judgement comes from, in Chinese
    review: object = None
    history: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    figure: object = None

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label


@dataclass
class PartResult:
    name: str
    items: list[ItemResult]

    @property
    def verdict(self) -> str:
        return both(*(r.verdict for r in self.items))

    def count(self, verdict: str) -> int:
        return sum(1 for r in self.items if r.verdict == verdict)

    @property
    def passed(self) -> int:
        return self.count(Verdict.PASS)

    @property
    def failed(self) -> int:
        return self.count(Verdict.FAIL)

    @property
    def pending(self) -> int:
        return self.count(Verdict.PENDING)


@dataclass
class Overall:
    verdict: str
    label: str
    vetoes: list[str]  # codes of the items that fail the district by veto


def overall(results: list[ItemResult]) -> Overall:
    vetoes = [
        r.item.code
        for r in results
        if r.verdict == Verdict.FAIL and r.item.kind in (ItemKind.VETO, ItemKind.SURVEY)
    ]
    if vetoes:
        return Overall(Verdict.FAIL, "未通过（一票否决）", vetoes)
    verdict = both(*(r.verdict for r in results))
    labels = {
        Verdict.PASS: "通过：全部指标达到标准",
        Verdict.FAIL: "未通过：有指标未达到标准",
        Verdict.PENDING: "尚不能认定：有指标缺少数据或评审意见",
    }
    return Overall(verdict, labels[verdict], [])


def parts(results: list[ItemResult]) -> list[PartResult]:
    """Items grouped by part, in the method's order."""
    grouped: dict[str, list[ItemResult]] = {}
    for result in results:
        grouped.setdefault(result.item.part, []).append(result)
    return [PartResult(name, items) for name, items in grouped.items()]
