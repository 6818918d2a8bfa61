"""Default standard values, seeded once; the bureau edits them in the admin (marked 待核定 where
the official figure was not at hand)."""

YZJH = "《县域义务教育优质均衡发展督导评估办法》（教督〔2017〕6号）"
PROVINCE = "《山东省普通中小学校办学条件标准》（2016）Ⅱ类，暂以优质均衡标准代替"

# (code, stage, value, name, source, year, provisional)
DEFAULTS = [
    ("yzjh_r1", "primary", 4.2, "每百名学生拥有高于规定学历教师数", YZJH, 2017, False),
    ("yzjh_r1", "junior", 5.3, "每百名学生拥有高于规定学历教师数", YZJH, 2017, False),
    ("yzjh_r2", "primary", 1.0, "每百名学生拥有县级以上骨干教师数", YZJH, 2017, False),
    ("yzjh_r2", "junior", 1.0, "每百名学生拥有县级以上骨干教师数", YZJH, 2017, False),
    ("yzjh_r3", "primary", 0.9, "每百名学生拥有体育、艺术专任教师数", YZJH, 2017, False),
    ("yzjh_r3", "junior", 0.9, "每百名学生拥有体育、艺术专任教师数", YZJH, 2017, False),
    ("yzjh_r4", "primary", 4.5, "生均教学及辅助用房面积", YZJH, 2017, False),
    ("yzjh_r4", "junior", 5.8, "生均教学及辅助用房面积", YZJH, 2017, False),
    ("yzjh_r5", "primary", 7.5, "生均体育运动场馆面积", YZJH, 2017, False),
    ("yzjh_r5", "junior", 10.2, "生均体育运动场馆面积", YZJH, 2017, False),
    ("yzjh_r6", "primary", 2000, "生均教学仪器设备值", YZJH, 2017, False),
    ("yzjh_r6", "junior", 2500, "生均教学仪器设备值", YZJH, 2017, False),
    ("yzjh_r7", "primary", 2.3, "每百名学生拥有网络多媒体教室数", YZJH, 2017, False),
    ("yzjh_r7", "junior", 2.4, "每百名学生拥有网络多媒体教室数", YZJH, 2017, False),
    ("yzjh_cv_limit", "primary", 0.50, "校际差异系数上限", YZJH, 2017, False),
    ("yzjh_cv_limit", "junior", 0.45, "校际差异系数上限", YZJH, 2017, False),
    (
        "yzjh_partial",
        "",
        0.85,
        "未达标项不低于标准的比例",
        YZJH + "（据记忆，未查到原文）",
        2017,
        True,
    ),
    ("class2_r4", "primary", 4.5, "省定Ⅱ类 生均教学及辅助用房面积", PROVINCE, 2016, True),
    ("class2_r4", "junior", 5.8, "省定Ⅱ类 生均教学及辅助用房面积", PROVINCE, 2016, True),
    ("class2_r5", "primary", 7.5, "省定Ⅱ类 生均体育运动场馆面积", PROVINCE, 2016, True),
    ("class2_r5", "junior", 10.2, "省定Ⅱ类 生均体育运动场馆面积", PROVINCE, 2016, True),
    ("class2_r6", "primary", 2000, "省定Ⅱ类 生均教学仪器设备值", PROVINCE, 2016, True),
    ("class2_r6", "junior", 2500, "省定Ⅱ类 生均教学仪器设备值", PROVINCE, 2016, True),
    (
        "kg_outdoor_area",
        "kindergarten",
        4.0,
        "生均室外游戏场地面积（㎡）",
        "《县域学前教育普及普惠督导评估办法》及省幼儿园办园条件标准",
        2020,
        True,
    ),
    (
        "kg_building_area",
        "kindergarten",
        10.44,
        "生均园舍建筑面积（㎡）",
        "省幼儿园办园条件标准",
        2020,
        True,
    ),
    (
        "small_school_size",
        "",
        100,
        "小规模学校在校生人数上限（不含）",
        "省相关文件，可由教育局调整",
        None,
        True,
    ),
    (
        "small_school_baseline_year",
        "",
        2020,
        "小规模学校和教学点数量基准学年",
        "工作方案（“十四五”期间不再新增）",
        2023,
        False,
    ),
    (
        "province_rural_famous_share",
        "",
        0.30,
        "省级名师、名校长计划中乡村人员比例",
        "省级计划，待核定",
        None,
        True,
    ),
    ("xqpjph_p1", "", 85, "学前三年毛入园率（%）", "教督〔2020〕1号", 2020, False),
    ("xqpjph_p2", "", 80, "普惠性幼儿园覆盖率（%）", "教督〔2020〕1号", 2020, False),
    ("xqpjph_p3", "", 50, "公办园在园幼儿占比（%）", "教督〔2020〕1号", 2020, False),
    (
        "xqpjph_q1",
        "",
        85,
        "班额达标率（%）",
        "教督〔2020〕1号 县级评估表（未核对原文）",
        2020,
        True,
    ),
    ("xqpjph_q2", "", 15, "在园幼儿数与专任教师数之比上限", "教督〔2020〕1号", 2020, False),
]


def standards_seed() -> int:
    from .models import Standard

    created = 0
    for code, stage, value, name, source, year, provisional in DEFAULTS:
        _, made = Standard.objects.get_or_create(
            code=code,
            stage=stage,
            unit=None,
            defaults={
                "value": value,
                "name": name,
                "source": source,
                "year": year,
                "provisional": provisional,
            },
        )
        created += made
    return created


class _Table:
    """The install's values, and the units (districts, cities) holding values of their own."""

    def __init__(self):
        from ruraledu.orgunits.models import OrgUnit

        from .models import Standard

        self.values = {(d[0], d[1], None): (d[2], d[6]) for d in DEFAULTS}
        rows = Standard.objects.values_list("code", "stage", "unit_id", "value", "provisional")
        self.values.update({(c, s, u): (v, p) for c, s, u, v, p in rows})
        owners = {u for _, _, u in self.values if u is not None}
        # deepest first, so that a district's own value wins over its city's
        self.owners = sorted(
            OrgUnit.objects.filter(pk__in=owners).values_list("path", "pk"),
            key=lambda row: -len(row[0]),
        )
        self._paths: dict[int, str] = {}

    def owners_of(self, unit: int) -> list[int]:
        """The units holding own values that are `unit` or above it, nearest first."""
        if not self.owners:
            return []
        if unit not in self._paths:
            from ruraledu.orgunits.models import OrgUnit

            self._paths.update(OrgUnit.objects.values_list("pk", "path"))
        path = self._paths.get(unit, "")
        return [pk for owner_path, pk in self.owners if path.startswith(owner_path)]


_cache: _Table | None = None


def reset_cache() -> None:
    """Called at the start of each computation, so that edits in the admin take effect."""
    global _cache
    _cache = None


def standard(code: str, stage: str = "", unit: int | None = None) -> tuple[float, bool]:
    """(value, provisional) that applies at `unit` (an org unit id): the value of the nearest
    unit at or above it that set its own, else the install's, else the shipped default."""
    global _cache
    if _cache is None:
        _cache = _Table()
    if unit is not None:
        for owner in _cache.owners_of(unit):
            found = _cache.values.get((code, stage, owner))
            if found is not None:
                return found
    try:
        return _cache.values[(code, stage, None)]
    except KeyError:
        raise KeyError(f"no standard {code}/{stage}") from None
