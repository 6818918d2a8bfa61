"""Running the generator: scales, their districts, and refusing or replacing earlier demo data.

Every generated school, campus and village carries 示例 in its name, and every generated
district beyond Zichuan too; that mark (with the districts' path prefixes) is how a later run
finds what the generator made, and only that, when it must replace it.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.deletion import ProtectedError
from django.db.utils import IntegrityError

from ruraledu.activities.models import (
    CityTrip,
    LessonObservation,
    PublicLesson,
    Studio,
    TownPilot,
    Training,
    UniversityBase,
)
from ruraledu.core.kinds import yearly_kinds
from ruraledu.core.models import SchoolYear
from ruraledu.facilities.models import FacilityRecord, TitleAward
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS, OrgUnitKind
from ruraledu.orgunits.models import EducationGroup, OrgUnit, Pairing, School, SchoolDistrict
from ruraledu.orgunits.services import orgunits_load
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import Post, StaffPerson

from . import district as shape
from .registry import DistrictSimulation
from .structure import school_district_name
from .writer import BulkWriter, GeneratorError

ORG_FILE = Path(settings.BASE_DIR) / "data" / "zichuan" / "orgunits.yaml"
MARK = "示例"
DEFAULT_YEARS = (2021, 2025)


@dataclass(frozen=True)
class Scale:
    label: str
    districts: int  # Zichuan plus generated districts
    size: float  # enrolment multiple per school
    towns: float  # town-count multiple of generated districts
    one_year: bool = False  # default to the last year only
    postgres_only: bool = False
    city: bool = False  # the districts sit under a city (淄博市) instead of side by side


SCALES = {
    # Zichuan's tree with a few students per school: for tests and quick looks.
    "tiny": Scale("微型", 1, 0.03, 1.0),
    "district": Scale("区县", 1, 1.0, 1.0),
    "city": Scale("地市", 8, 1.0, 1.0, city=True),
    # a city of three small districts: for tests of one instance serving many districts
    "tiny-city": Scale("微型地市", 3, 0.03, 0.5, city=True),
    "province": Scale("省", len(shape.SHANDONG_COUNTIES), 1.0, 1.8, True, True),
}


@dataclass
class GenerationReport:
    scale: str
    years: list[int]
    seed: int
    districts: list[str]
    seconds: float = 0.0
    replaced: bool = False
    tables: dict[str, tuple[int, float]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(rows for rows, _ in self.tables.values())


def parse_years(text: str | None, scale: str = "district") -> list[int]:
    """ "2021-2025" or "2025" → the list of years; None gives the scale's default."""
    if not text:
        first, last = DEFAULT_YEARS
        return [last] if SCALES[scale].one_year else list(range(first, last + 1))
    try:
        if "-" in text:
            low, high = (int(part) for part in text.split("-", 1))
        else:
            low = high = int(text)
    except ValueError as exc:
        raise GeneratorError(f"学年范围“{text}”无效，应写作 2021-2025 或 2025。") from exc
    if not 2000 <= low <= high <= 2100:
        raise GeneratorError(f"学年范围“{text}”无效，应写作 2021-2025 或 2025。")
    return list(range(low, high + 1))


def district_specs(scale: str, seed: int, count: int | None = None) -> list[shape.DistrictSpec]:
    """Zichuan (from the database) first, then generated districts on real county codes."""
    spec = SCALES[scale]
    zichuan = OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, code=shape.ZICHUAN).first()
    if zichuan is None:
        raise GeneratorError("未找到淄川区组织机构，请先导入 data/zichuan/orgunits.yaml。")
    towns = list(zichuan.children.filter(kind__in=TOWN_LEVEL_KINDS).order_by("sort_order", "code"))
    specs = [
        shape.DistrictSpec(
            zichuan.code,
            zichuan.name,
            zichuan.name,
            [(t.code, t.name, t.kind) for t in towns],
            existing=True,
            pks={zichuan.code: zichuan.pk} | {t.code: t.pk for t in towns},
            above=zichuan.parent.path if zichuan.parent_id else "",
            parent_pk=zichuan.parent_id,
        )
    ]
    wanted = count or spec.districts
    parent = zichuan.parent if spec.city else None
    for code, city, county in shape.SHANDONG_COUNTIES[1:wanted]:
        rng = random.Random(f"{seed}/{code}/shape")
        generated = shape.generated_spec(code, city, county, rng, spec.towns)
        if parent is not None:
            generated.above, generated.parent_pk = parent.path, parent.pk
        specs.append(generated)
    return specs


CITY = ("3703", "淄博市")


def demo_city() -> OrgUnit:
    """淄博市 as the root, with Zichuan under it (moved there, paths and all, if it was the root)."""
    from ruraledu.orgunits.services import orgunit_upsert

    city, _, _ = orgunit_upsert(code=CITY[0], name=CITY[1], kind=OrgUnitKind.CITY, parent=None)
    orgunits_load(ORG_FILE, parent=city)
    return city


def _paths(codes: list[str], field: str = "path") -> Q:
    """The subtrees of these districts, at the root or under a city."""
    condition = Q()
    for code in codes:
        condition |= Q(**{f"{field}__startswith": f"{code}/"})
        condition |= Q(**{f"{field}__contains": f"/{code}/"})
    return condition


def demo_present(codes: list[str]) -> bool:
    """Whether generated demo rows exist in any of these districts."""
    units = OrgUnit.objects.filter(_paths(codes), name__contains=MARK)
    return units.exclude(kind__in=TOWN_LEVEL_KINDS).exists()


def demo_complete(code: str, years: list[int]) -> bool:
    """Whether a district already holds a generated demo for every one of these years."""
    have = set(
        FacilityRecord.objects.filter(
            _paths([code], "school__org_unit__path"),
            school__org_unit__name__contains=MARK,
            year__in=years,
        )
        .values_list("year", flat=True)
        .distinct()
    )
    return have == set(years) and SchoolYear.objects.filter(year__in=years).count() == len(years)


def _raw_delete(queryset: QuerySet) -> int:
    # One DELETE … WHERE for the whole set: no per-row collection, no signals. Foreign keys are
    # deferrable, so the order below only has to be right by commit time.
    return queryset._raw_delete(queryset.db)


def demo_wipe(codes: list[str]) -> int:
    """Delete what the generator made in these districts (and nothing else); returns rows."""
    units = OrgUnit.objects.filter(_paths(codes), name__contains=MARK).exclude(
        kind__in=(*TOWN_LEVEL_KINDS, OrgUnitKind.DISTRICT)
    )
    schools = School.objects.filter(org_unit__in=units.values("pk")).values("pk")
    staff = Post.objects.filter(school__in=schools).values("person")
    students = Enrolment.objects.filter(school__in=schools).values("person")
    generated_districts = OrgUnit.objects.filter(
        kind=OrgUnitKind.DISTRICT, code__in=codes, name__contains=MARK
    )
    towns = OrgUnit.objects.filter(_paths(codes), kind__in=TOWN_LEVEL_KINDS)
    # the places whose yearly records go: the generated units and the district's towns
    places = OrgUnit.objects.filter(Q(pk__in=units.values("pk")) | Q(pk__in=towns.values("pk")))
    trips = CityTrip.objects.filter(school__in=schools).values("pk")
    through = CityTrip.participants.through
    deleted = 0
    for queryset in (
        through.objects.filter(Q(citytrip__in=trips) | Q(studentperson__in=students)),
        CityTrip.objects.filter(school__in=schools),
        LessonObservation.objects.filter(Q(school__in=schools) | Q(observer__in=staff)),
        PublicLesson.objects.filter(Q(school__in=schools) | Q(teacher__in=staff)),
        Training.objects.filter(person__in=staff),
        Studio.objects.filter(Q(host__in=staff) | Q(school__in=schools)),
        UniversityBase.objects.filter(school__in=schools),
        TitleAward.objects.filter(school__in=schools),
        Pairing.objects.filter(Q(partner__in=schools) | Q(school__in=schools)),
        StaffPerson.objects.filter(pk__in=staff),
        StudentPerson.objects.filter(pk__in=students),
        # the yearly kinds last, latest declared first: the people's rosters go at the end
        *(kind.records_at(places.values("pk")) for kind in reversed(yearly_kinds())),
    ):
        deleted += _raw_delete(queryset)
    try:
        EducationGroup.objects.filter(lead_school__in=schools).delete()
        names = {}
        for town in towns.select_related("parent"):
            plan = shape.DistrictPlan(
                town.parent.code, town.parent.name, _label(town.parent), "", [], False
            )
            names[town.pk] = school_district_name(
                plan, shape.Town(town.code, town.name, town.kind, 0, 0)
            )
        for pk, name in names.items():
            SchoolDistrict.objects.filter(town_id=pk, name=name).delete()
        TownPilot.objects.filter(town__in=towns.values("pk")).delete()
        generated_towns = towns.filter(parent__in=generated_districts.values("pk"))
        for queryset in (
            units.filter(kind=OrgUnitKind.CAMPUS),
            units,
            Studio.objects.filter(town__in=generated_towns.values("pk")),
            SchoolDistrict.objects.filter(town__in=generated_towns.values("pk")),
            generated_towns,
            generated_districts,
        ):
            deleted += queryset.delete()[0]
    except ProtectedError as exc:
        raise GeneratorError(
            f"无法删除旧的示例数据：仍有其他数据引用这些示例单位（{exc.protected_objects!r:.200}）。"
        ) from exc
    return deleted


def _label(district: OrgUnit) -> str:
    for code, city, county in shape.SHANDONG_COUNTIES:
        if code == district.code:
            return district.name if code == shape.ZICHUAN else f"{city}{county}"
    return district.name


def _school_years(years: list[int]) -> None:
    for year in years:
        SchoolYear.objects.get_or_create(year=year)
    latest = SchoolYear.objects.order_by("-year").first()
    if latest and latest.year == years[-1]:
        SchoolYear.objects.exclude(year=latest.year).filter(is_current=True).update(
            is_current=False
        )
        SchoolYear.objects.filter(year=latest.year).update(is_current=True)


def demo_generate(
    *,
    scale: str = "district",
    years: list[int] | None = None,
    seed: int = 1,
    replace: bool = False,
    districts: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> GenerationReport:
    """Generate the demo registry at a scale; refuse if demo data exists unless `replace`."""
    if scale not in SCALES:
        raise GeneratorError(f"未知规模“{scale}”，可选：{'、'.join(SCALES)}。")
    spec = SCALES[scale]
    vendor = connection.vendor
    if spec.postgres_only and vendor != "postgresql":
        raise GeneratorError(
            "省级规模（约 3 万所学校、1400 万学生）只能在 PostgreSQL 上生成，请设置 DATABASE_URL。"
        )
    years = years or parse_years(None, scale)
    say = progress or (lambda _text: None)
    started = time.perf_counter()
    report = GenerationReport(scale, years, seed, [])
    if spec.city:
        demo_city()
    else:
        orgunits_load(ORG_FILE)
    specs = district_specs(scale, seed, districts)
    codes = [s.code for s in specs]
    report.districts = [s.name for s in specs]
    per_district = spec.postgres_only
    writer = BulkWriter(chunk_rows=50_000 if vendor == "postgresql" else 20_000)
    unique_names: set[str] = set()
    try:
        with transaction.atomic():
            if demo_present(codes):
                if not replace:
                    raise GeneratorError(
                        "这些区县已有示例数据，本次未做任何改动。如需重新生成，请加 --replace"
                        "（将删除之前生成的示例学校、人员和记录后重建）。"
                    )
                say(f"删除旧示例数据：{demo_wipe(codes)} 行")
                report.replaced = True
            _school_years(years)
            if not per_district:
                for district_spec in specs:
                    _one_district(district_spec, scale, years, seed, writer, unique_names, say)
                writer.close()
        if per_district:
            for district_spec in specs:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                    _one_district(district_spec, scale, years, seed, writer, unique_names, say)
                    writer.close()
    except IntegrityError as exc:
        raise GeneratorError(f"写入示例数据失败，已回滚：{exc}") from exc
    if vendor == "postgresql":
        # fresh planner statistics after a bulk load, or the first queries plan for empty tables
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    report.tables = {label: (rows, seconds) for label, (rows, seconds) in writer.stats.items()}
    report.seconds = time.perf_counter() - started
    return report


def _one_district(district_spec, scale, years, seed, writer, unique_names, say) -> None:
    started = time.perf_counter()
    before = writer.rows_written()
    spec = SCALES[scale]
    rng = random.Random(f"{seed}/{district_spec.code}/schools")
    plan = shape.build_district(district_spec, rng, size=spec.size)
    DistrictSimulation(plan, years=years, seed=seed, writer=writer, unique_names=unique_names).run()
    writer.flush()
    rows = writer.rows_written() - before
    say(
        f"{plan.name}：{len(plan.schools)} 所学校/校区，{rows} 行，{time.perf_counter() - started:.1f} 秒"
    )
