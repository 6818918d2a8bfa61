"""The eligibility rules read as conditions on enrolments, and their defaults.

A pupil qualifies for a kind of aid when the pupil's enrolment of the year carries the flag of
one of the kind's active categories and the kind has an amount for the pupil's stage (by
grade). A pupil qualifies for aid when qualifying for at least one active kind."""

from decimal import Decimal

from django.db.models import Q

from .choices import STAGE_GRADES, AidFlag, AidStage
from .models import AidAmount, AidCategory, AidKind

FLAG_CONDITIONS: dict[str, Q] = {
    AidFlag.ORPHAN: Q(orphan=True),
    AidFlag.HARDSHIP: Q(hardship=True),
    AidFlag.UNATTENDED: Q(unattended=True),
    AidFlag.DISABILITY: Q(disability=True),
    AidFlag.LEFT_BEHIND: Q(left_behind=True),
    AidFlag.FAMILY_LIFTED: Q(family_status="lifted"),
    AidFlag.FAMILY_MONITORED: Q(family_status="monitored"),
}

# how the rules page names the registry field each flag reads
FLAG_SOURCES: dict[str, str] = {
    AidFlag.ORPHAN: "“孤儿”",
    AidFlag.HARDSHIP: "“困境儿童”",
    AidFlag.UNATTENDED: "“事实无人抚养”",
    AidFlag.DISABILITY: "“残疾”",
    AidFlag.LEFT_BEHIND: "“留守儿童”",
    AidFlag.FAMILY_LIFTED: "“脱贫/监测户”为脱贫享受政策家庭",
    AidFlag.FAMILY_MONITORED: "“脱贫/监测户”为防止返贫动态监测家庭",
}

NOTHING = Q(pk__in=[])

# The plan (action 十) names the categories; the kinds and amounts are the usual national and
# provincial ones, seeded unconfirmed for the 资助中心 to check.
ALL = tuple(AidFlag)
NEEDY = tuple(f for f in AidFlag if f != AidFlag.LEFT_BEHIND)
DEFAULT_KINDS = (
    ("preschool", "学前教育资助", ALL, {AidStage.PRESCHOOL: "750"}),
    (
        "living",
        "义务教育家庭经济困难学生生活补助",
        ALL,
        {AidStage.PRIMARY: "500", AidStage.JUNIOR: "625"},
    ),
    (
        "nutrition",
        "营养膳食补助",
        (AidFlag.FAMILY_LIFTED, AidFlag.FAMILY_MONITORED),
        {AidStage.PRIMARY: "400", AidStage.JUNIOR: "400"},
    ),
    ("senior_grant", "普通高中国家助学金", ALL, {AidStage.SENIOR: "1000"}),
    ("senior_free", "普通高中免学费", NEEDY, {AidStage.SENIOR: "800"}),
)


def rules_seed(registry=None) -> None:
    """Create the plan's categories and the default kinds that are missing; never touches a
    row that exists (the 资助中心's edits stand). `registry`: a migration's app registry."""
    category_model, kind_model, amount_model = (
        (registry.get_model("aid", name) for name in ("AidCategory", "AidKind", "AidAmount"))
        if registry
        else (AidCategory, AidKind, AidAmount)
    )
    for order, flag in enumerate(AidFlag):
        category_model.objects.get_or_create(
            flag=flag.value, defaults={"name": flag.label, "order": order}
        )
    categories = {c.flag: c for c in category_model.objects.all()}
    for order, (code, name, flags, amounts) in enumerate(DEFAULT_KINDS):
        kind, created = kind_model.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "note": "按方案预置，待资助中心核定"}
        )
        if not created:
            continue
        kind.categories.set([categories[f] for f in flags])
        amount_model.objects.bulk_create(
            amount_model(kind=kind, stage=stage.value, per_term=Decimal(value))
            for stage, value in amounts.items()
        )


def _grades(kind: AidKind) -> set[int]:
    return {g for a in kind.amounts.all() for g in STAGE_GRADES[a.stage]}


def active_kinds() -> list[AidKind]:
    return list(AidKind.objects.filter(is_active=True).prefetch_related("categories", "amounts"))


def kind_condition(kind: AidKind) -> Q:
    """Enrolments that qualify for `kind` (prefetched categories and amounts)."""
    flags = [FLAG_CONDITIONS[c.flag] for c in kind.categories.all() if c.is_active]
    grades = _grades(kind)
    if not flags or not grades:
        return NOTHING
    either = Q()
    for condition in flags:
        either |= condition
    return either & Q(grade__in=sorted(grades))


def eligible_condition(kinds: list[AidKind] | None = None) -> Q:
    """Enrolments that qualify for at least one active kind of aid."""
    condition = NOTHING
    for kind in active_kinds() if kinds is None else kinds:
        condition |= kind_condition(kind)
    return condition


def category_names() -> dict[str, str]:
    return {c.flag: c.name for c in AidCategory.objects.filter(is_active=True)}


def categories_of(enrolment, names: dict[str, str]) -> list[str]:
    """The names of the active categories (`category_names()`) an enrolment falls in: hardship
    reasons, shown only to roles with personal-data rights at the school, never published."""
    shown = []
    for flag, name in names.items():
        if flag == AidFlag.FAMILY_LIFTED:
            hit = enrolment.family_status == "lifted"
        elif flag == AidFlag.FAMILY_MONITORED:
            hit = enrolment.family_status == "monitored"
        else:
            hit = getattr(enrolment, flag)
        if hit:
            shown.append(name)
    return shown
