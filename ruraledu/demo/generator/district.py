"""The shape of a demo district: towns, villages, schools and campuses with their sizes.

Per 街道: urban primaries, juniors and kindergartens (public, private 普惠 and private). Per 镇:
a 镇驻地 central primary, junior and kindergarten, village primaries (some with a 教学点),
village and private kindergartens. The development zone has a 九年一贯制 school; the district
has one special-education school. Nothing here touches the database.
"""

import random
from dataclasses import dataclass, field

from ruraledu.orgunits.choices import OrgUnitKind, Ownership, SchoolStage

from . import names

# Real county-level codes of Shandong valid since at least 2000 (so every generated birth date
# passes python-stdnum's region check for students); (code, city, county).
SHANDONG_COUNTIES = [
    tuple(item.split(":"))
    for item in (
        "370302:淄博市:淄川区 370303:淄博市:张店区 370304:淄博市:博山区 370305:淄博市:临淄区 "
        "370306:淄博市:周村区 370321:淄博市:桓台县 370322:淄博市:高青县 370323:淄博市:沂源县 "
        "370102:济南市:历下区 370103:济南市:市中区 370104:济南市:槐荫区 370105:济南市:天桥区 "
        "370112:济南市:历城区 370124:济南市:平阴县 370126:济南市:商河县 370202:青岛市:市南区 "
        "370203:青岛市:市北区 370211:青岛市:黄岛区 370212:青岛市:崂山区 370213:青岛市:李沧区 "
        "370214:青岛市:城阳区 370281:青岛市:胶州市 370283:青岛市:平度市 370285:青岛市:莱西市 "
        "370402:枣庄市:市中区 370403:枣庄市:薛城区 370404:枣庄市:峄城区 370405:枣庄市:台儿庄区 "
        "370406:枣庄市:山亭区 370481:枣庄市:滕州市 370502:东营市:东营区 370503:东营市:河口区 "
        "370522:东营市:利津县 370523:东营市:广饶县 370602:烟台市:芝罘区 370611:烟台市:福山区 "
        "370612:烟台市:牟平区 370613:烟台市:莱山区 370681:烟台市:龙口市 370682:烟台市:莱阳市 "
        "370683:烟台市:莱州市 370685:烟台市:招远市 370686:烟台市:栖霞市 370687:烟台市:海阳市 "
        "370702:潍坊市:潍城区 370703:潍坊市:寒亭区 370704:潍坊市:坊子区 370705:潍坊市:奎文区 "
        "370724:潍坊市:临朐县 370725:潍坊市:昌乐县 370781:潍坊市:青州市 370782:潍坊市:诸城市 "
        "370783:潍坊市:寿光市 370784:潍坊市:安丘市 370785:潍坊市:高密市 370786:潍坊市:昌邑市 "
        "370826:济宁市:微山县 370827:济宁市:鱼台县 370828:济宁市:金乡县 370829:济宁市:嘉祥县 "
        "370830:济宁市:汶上县 370831:济宁市:泗水县 370832:济宁市:梁山县 370881:济宁市:曲阜市 "
        "370883:济宁市:邹城市 370902:泰安市:泰山区 370921:泰安市:宁阳县 370923:泰安市:东平县 "
        "370982:泰安市:新泰市 370983:泰安市:肥城市 371002:威海市:环翠区 371082:威海市:荣成市 "
        "371083:威海市:乳山市 371102:日照市:东港区 371121:日照市:五莲县 371122:日照市:莒县 "
        "371302:临沂市:兰山区 371311:临沂市:罗庄区 371312:临沂市:河东区 371321:临沂市:沂南县 "
        "371322:临沂市:郯城县 371323:临沂市:沂水县 371325:临沂市:费县 371326:临沂市:平邑县 "
        "371327:临沂市:莒南县 371328:临沂市:蒙阴县 371329:临沂市:临沭县 371402:德州市:德城区 "
        "371422:德州市:宁津县 371423:德州市:庆云县 371424:德州市:临邑县 371425:德州市:齐河县 "
        "371426:德州市:平原县 371427:德州市:夏津县 371428:德州市:武城县 371481:德州市:乐陵市 "
        "371482:德州市:禹城市 371502:聊城市:东昌府区 371521:聊城市:阳谷县 371522:聊城市:莘县 "
        "371524:聊城市:东阿县 371525:聊城市:冠县 371526:聊城市:高唐县 371581:聊城市:临清市 "
        "371602:滨州市:滨城区 371621:滨州市:惠民县 371622:滨州市:阳信县 371623:滨州市:无棣县 "
        "371625:滨州市:博兴县 371702:菏泽市:牡丹区 371721:菏泽市:曹县 371722:菏泽市:单县 "
        "371723:菏泽市:成武县 371724:菏泽市:巨野县 371725:菏泽市:郓城县 371726:菏泽市:鄄城县 "
        "371728:菏泽市:东明县"
    ).split()
]

ZICHUAN = "370302"
ZICHUAN_PILOTS = {"昆仑镇": ("province", 2022), "双杨镇": ("province", 2022)}
ZICHUAN_PILOTS |= {"寨里镇": ("city", 2022), "龙泉镇": ("city", 2023)}

# Roles a school plays in the simulation.
URBAN_PRIMARY = "urban_primary"
URBAN_JUNIOR = "urban_junior"
URBAN_KG = "urban_kg"
CENTRAL_PRIMARY = "central_primary"
CENTRAL_JUNIOR = "central_junior"
CENTRAL_KG = "central_kg"
VILLAGE_PRIMARY = "village_primary"
TEACHING_POINT = "teaching_point"
VILLAGE_KG = "village_kg"
TOWN_PRIVATE_KG = "town_private_kg"
NINE_YEAR = "nine_year"
SPECIAL = "special"


@dataclass(eq=False)
class Village:
    code: str
    name: str
    stem: str
    kind: str  # village / community
    seat_km: float  # distance from the town seat
    weight: float  # relative population
    civilisation_station: bool
    pk: int = 0


@dataclass(eq=False)
class Town:
    code: str
    name: str
    kind: str
    order: int
    pace: float  # < 0 develops earlier than the district, > 0 later
    pk: int = 0
    villages: list[Village] = field(default_factory=list)
    schools: list["SchoolPlan"] = field(default_factory=list)
    pilot: tuple[str, int] | None = None
    school_district_pk: int | None = None
    school_district_name: str = ""

    @property
    def short(self) -> str:
        return self.name.removesuffix("街道").removesuffix("镇")

    @property
    def is_town(self) -> bool:
        return self.kind == OrgUnitKind.TOWN


@dataclass(eq=False)
class SchoolPlan:
    code: str
    name: str
    town: Town
    role: str
    stage: str
    ownership: str
    urban_rural_code: str
    grade_low: int = 0  # 0 for kindergartens
    grade_high: int = 0
    cohort: float = 0.0  # students per grade (children per level for kindergartens)
    inclusive: bool = False
    seat: bool = False
    parent: "SchoolPlan | None" = None  # the legal school of a campus
    feeder: "SchoolPlan | None" = None  # where leavers of the last grade go on
    village: Village | None = None
    pk: int = 0
    index: int = 0

    @property
    def is_campus(self) -> bool:
        return self.parent is not None

    @property
    def rural(self) -> bool:
        return self.urban_rural_code[0] == "2" or self.urban_rural_code.startswith("12")

    @property
    def kindergarten(self) -> bool:
        return self.stage == SchoolStage.KINDERGARTEN

    @property
    def legal(self) -> "SchoolPlan":
        return self.parent or self


@dataclass(eq=False)
class DistrictPlan:
    code: str
    name: str
    label: str  # unique label for names that must be unique across districts
    prefix: str  # region prefix of ID numbers
    towns: list[Town]
    existing: bool  # the district and its towns are already in the database
    pk: int = 0
    schools: list[SchoolPlan] = field(default_factory=list)
    above: str = ""  # the path of the city above the district ("" at the root)
    parent_pk: int | None = None  # the city's org unit id

    def sites(self) -> list[SchoolPlan]:
        return self.schools


@dataclass
class DistrictSpec:
    code: str
    name: str
    label: str
    towns: list[tuple[str, str, str]]  # (code, name, kind)
    existing: bool
    pks: dict[str, int] = field(default_factory=dict)  # org unit ids of existing rows
    above: str = ""  # the path of the city above the district ("" at the root)
    parent_pk: int | None = None


def generated_spec(
    code: str, city: str, county: str, rng: random.Random, size: float
) -> DistrictSpec:
    """A fictional district on a real county code: 街道, 镇 and maybe a development zone."""
    taken: set[str] = set()
    subdistricts = max(2, round(rng.randint(3, 5) * size))
    towns = max(4, round(rng.randint(7, 10) * size))
    rows = [
        (f"{code}{n:03d}", f"{names.town_stem(rng, taken)}街道", OrgUnitKind.SUBDISTRICT)
        for n in range(1, subdistricts + 1)
    ]
    rows += [
        (f"{code}{100 + n:03d}", f"{names.town_stem(rng, taken)}镇", OrgUnitKind.TOWN)
        for n in range(1, towns + 1)
    ]
    if rng.random() < 0.7:
        rows.append((f"{code}201", "经济开发区", OrgUnitKind.ZONE))
    return DistrictSpec(code, f"{county}（示例）", f"{city}{county}", rows, existing=False)


def _noise(rng: random.Random, base: float, spread: float, low: float = 1.0) -> float:
    return max(low, base * (1 + rng.uniform(-spread, spread)))


def build_district(spec: DistrictSpec, rng: random.Random, size: float = 1.0) -> DistrictPlan:
    """Lay out the schools and villages of one district. `size` scales enrolments only."""
    towns = [
        Town(code, name, kind, order, pace=rng.uniform(-0.25, 0.25), pk=spec.pks.get(code, 0))
        for order, (code, name, kind) in enumerate(spec.towns)
    ]
    district = DistrictPlan(
        spec.code,
        spec.name,
        spec.label,
        spec.code,
        towns,
        spec.existing,
        spec.pks.get(spec.code, 0),
        above=spec.above,
        parent_pk=spec.parent_pk,
    )
    for town in towns:
        _villages(town, rng)
        if town.kind == OrgUnitKind.SUBDISTRICT:
            _urban_schools(town, rng, size)
        elif town.kind == OrgUnitKind.TOWN:
            _town_schools(town, rng, size)
        else:
            _zone_schools(town, rng, size)
    urban = [t for t in towns if t.kind == OrgUnitKind.SUBDISTRICT] or towns
    host = urban[0]
    host.schools.append(
        SchoolPlan(
            _next_code(host),
            f"{spec.label if not spec.existing else spec.name}示例特殊教育学校",
            host,
            SPECIAL,
            SchoolStage.SPECIAL,
            Ownership.PUBLIC,
            "111",
            1,
            9,
            cohort=max(2.0, 12 * size),
        )
    )
    _assign_pilots(district, rng)
    for town in towns:
        district.schools.extend(town.schools)
    for index, school in enumerate(district.schools):
        school.index = index
    return district


def _next_code(town: Town) -> str:
    return f"{town.code}{101 + len(town.schools)}"


def _villages(town: Town, rng: random.Random) -> None:
    taken: set[str] = set()
    if town.kind == OrgUnitKind.TOWN:
        count, kind, suffix = rng.randint(15, 25), "village", "村"
    elif town.kind == OrgUnitKind.SUBDISTRICT:
        count, kind, suffix = rng.randint(6, 10), "community", "社区"
    else:
        count, kind, suffix = rng.randint(4, 6), "community", "社区"
    for n in range(count):
        stem = names.place_name(rng, taken)
        town.villages.append(
            Village(
                code=f"{town.code}{201 + n}",
                name=f"{stem}{suffix}（示例）",
                stem=stem,
                kind=kind,
                seat_km=0.5 if n == 0 else round(rng.uniform(1.0, 12.0), 1),
                weight=rng.uniform(0.5, 1.5) * (2.5 if kind == "community" else 1.0),
                civilisation_station=rng.random() < (0.92 if kind == "community" else 0.75),
            )
        )


def _add(
    town: Town, name: str, role: str, stage: str, ownership: str, code: str, **kwargs
) -> SchoolPlan:
    school = SchoolPlan(_next_code(town), name, town, role, stage, ownership, code, **kwargs)
    town.schools.append(school)
    return school


def _urban_schools(town: Town, rng: random.Random, size: float) -> None:
    primaries = [
        _add(
            town,
            f"{town.short}第{names.chinese_numeral(n)}示例小学",
            URBAN_PRIMARY,
            SchoolStage.PRIMARY,
            Ownership.PUBLIC,
            "111" if rng.random() < 0.8 else "112",
            grade_low=1,
            grade_high=6,
            cohort=_noise(rng, 345 * size, 0.25),
        )
        for n in range(1, rng.randint(3, 4) + 1)
    ]
    junior_count = 1 if len(primaries) == 3 and rng.random() < 0.5 else 2
    juniors = [
        _add(
            town,
            f"{town.short}{'第' + names.chinese_numeral(n) if junior_count > 1 else ''}示例初级中学",
            URBAN_JUNIOR,
            SchoolStage.JUNIOR,
            Ownership.PUBLIC,
            "111",
            grade_low=7,
            grade_high=9,
        )
        for n in range(1, junior_count + 1)
    ]
    for i, primary in enumerate(primaries):
        primary.feeder = juniors[i % len(juniors)]
    for junior in juniors:
        junior.cohort = sum(p.cohort for p in primaries if p.feeder is junior) * 1.02
    for n in (1, 2):
        _add(
            town,
            f"{town.short}第{names.chinese_numeral(n)}示例幼儿园",
            URBAN_KG,
            SchoolStage.KINDERGARTEN,
            Ownership.PUBLIC,
            "111",
            cohort=_noise(rng, 100 * size, 0.2),
        )
    brands = rng.sample(names.KINDERGARTEN_BRANDS, 3)
    for n, brand in enumerate(brands):
        _add(
            town,
            f"{town.short}{brand}示例幼儿园",
            URBAN_KG,
            SchoolStage.KINDERGARTEN,
            Ownership.PRIVATE,
            "112" if n else "111",
            inclusive=n < 2,
            cohort=_noise(rng, (70 if n < 2 else 60) * size, 0.25),
        )


def _town_schools(town: Town, rng: random.Random, size: float) -> None:
    seat_village = town.villages[0]
    central = _add(
        town,
        f"{town.name}示例中心小学",
        CENTRAL_PRIMARY,
        SchoolStage.PRIMARY,
        Ownership.PUBLIC,
        "121",
        grade_low=1,
        grade_high=6,
        seat=True,
        cohort=_noise(rng, 170 * size, 0.3),
        village=seat_village,
    )
    junior = _add(
        town,
        f"{town.name}示例中学",
        CENTRAL_JUNIOR,
        SchoolStage.JUNIOR,
        Ownership.PUBLIC,
        "121",
        grade_low=7,
        grade_high=9,
        seat=True,
        village=seat_village,
    )
    central.feeder = junior
    _add(
        town,
        f"{town.name}示例中心幼儿园",
        CENTRAL_KG,
        SchoolStage.KINDERGARTEN,
        Ownership.PUBLIC,
        "121",
        seat=True,
        cohort=_noise(rng, 90 * size, 0.25),
        village=seat_village,
    )
    others = town.villages[1:]
    picks = rng.sample(others, min(len(others), rng.randint(3, 5) + 3))
    primaries = picks[: len(picks) - 3]
    feeders = [central]
    for village in primaries:
        school = _add(
            town,
            f"{town.name}{village.stem}示例小学",
            VILLAGE_PRIMARY,
            SchoolStage.PRIMARY,
            Ownership.PUBLIC,
            "122" if village.seat_km < 3 else "220",
            grade_low=1,
            grade_high=6,
            cohort=_noise(rng, 28 * size, 0.5),
            village=village,
        )
        school.feeder = junior
        feeders.append(school)
        if rng.random() < 0.35:
            point_village = rng.choice([v for v in others if v not in picks] or others)
            point = SchoolPlan(
                f"{school.code}-1",
                f"{town.name}{point_village.stem}示例教学点",
                town,
                TEACHING_POINT,
                SchoolStage.TEACHING_POINT,
                Ownership.PUBLIC,
                "220",
                grade_low=1,
                grade_high=rng.choice((2, 3, 3)),
                cohort=_noise(rng, 8 * size, 0.4),
                parent=school,
                feeder=school,
                village=point_village,
            )
            town.schools.append(point)
    junior.cohort = sum(s.cohort for s in feeders) * 1.0
    for village in picks[len(picks) - 3 :][: rng.randint(2, 3)]:
        _add(
            town,
            f"{town.name}{village.stem}示例幼儿园",
            VILLAGE_KG,
            SchoolStage.KINDERGARTEN,
            Ownership.PUBLIC,
            "220",
            cohort=_noise(rng, 30 * size, 0.4),
            village=village,
        )
    brands = rng.sample(names.KINDERGARTEN_BRANDS, 2)
    for n in range(2):
        _add(
            town,
            f"{town.name}{brands[n]}示例幼儿园",
            TOWN_PRIVATE_KG,
            SchoolStage.KINDERGARTEN,
            Ownership.PRIVATE,
            "121" if n == 0 else "122",
            inclusive=n == 0 or rng.random() < 0.35,
            cohort=_noise(rng, 80 * size, 0.3),
            village=seat_village,
        )


def _zone_schools(town: Town, rng: random.Random, size: float) -> None:
    nine = _add(
        town,
        f"{town.name}示例九年一贯制学校",
        NINE_YEAR,
        SchoolStage.NINE_YEAR,
        Ownership.PUBLIC,
        "112",
        grade_low=1,
        grade_high=9,
        cohort=_noise(rng, 200 * size, 0.2),
    )
    primary = _add(
        town,
        f"{town.name}示例小学",
        URBAN_PRIMARY,
        SchoolStage.PRIMARY,
        Ownership.PUBLIC,
        "112",
        grade_low=1,
        grade_high=6,
        cohort=_noise(rng, 150 * size, 0.2),
    )
    primary.feeder = nine
    _add(
        town,
        f"{town.name}示例幼儿园",
        URBAN_KG,
        SchoolStage.KINDERGARTEN,
        Ownership.PUBLIC,
        "112",
        cohort=_noise(rng, 80 * size, 0.2),
    )
    _add(
        town,
        f"{town.name}{rng.choice(names.KINDERGARTEN_BRANDS)}示例幼儿园",
        URBAN_KG,
        SchoolStage.KINDERGARTEN,
        Ownership.PRIVATE,
        "112",
        inclusive=True,
        cohort=_noise(rng, 60 * size, 0.2),
    )


def _assign_pilots(district: DistrictPlan, rng: random.Random) -> None:
    towns = [t for t in district.towns if t.is_town]
    if district.code == ZICHUAN:
        for town in towns:
            town.pilot = ZICHUAN_PILOTS.get(town.name)
    else:
        picks = rng.sample(towns, min(len(towns), 3))
        for level, town in zip(("province", "city", "city"), picks, strict=False):
            town.pilot = (level, rng.choice((2021, 2022, 2023)))
    # Every other town joins a district-level pilot by 2025 (正文二: 强镇筑基全覆盖).
    rest = [t for t in towns if t.pilot is None]
    for n, town in enumerate(rest):
        town.pilot = ("county", 2023 + (n * 3) // max(1, len(rest)))
