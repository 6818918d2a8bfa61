"""Rows written once per district: org units, schools, 学区, groups, pilots, titles, pairings,
university bases (each carrying the year it starts)."""

import datetime as dt

from ruraledu.activities.choices import BaseKind, PilotLevel
from ruraledu.activities.models import TownPilot, UniversityBase
from ruraledu.facilities.choices import KindergartenGrade, TitleKind, TitleLevel
from ruraledu.facilities.models import TitleAward
from ruraledu.orgunits.choices import CampusType, OrgUnitKind, SchoolStage
from ruraledu.orgunits.models import EducationGroup, OrgUnit, Pairing, School, SchoolDistrict

from . import district as shape
from .common import INSTITUTES, iso


class StructureMixin:
    """Part of DistrictSimulation (registry.py); uses its state and ranks."""

    def write_structure(self) -> None:
        """Org units, schools, 学区, groups, pilots, titles, pairings, bases (year-stamped rows)."""
        writer, plan = self.writer, self.plan
        units = writer.table(
            OrgUnit,
            ("id", "code", "name", "kind", "parent", "path", "depth", "sort_order", "is_active"),
        )
        # a district at the root, or under a city (one level deeper)
        top, d = f"{plan.above}{plan.code}/", plan.above.count("/")
        if not plan.existing:
            plan.pk = writer.next_pk(OrgUnit)
            units.add(
                (
                    plan.pk,
                    plan.code,
                    plan.name,
                    OrgUnitKind.DISTRICT,
                    plan.parent_pk,
                    top,
                    d,
                    0,
                    True,
                )
            )
            for town in plan.towns:
                town.pk = writer.next_pk(OrgUnit)
                path = f"{top}{town.code}/"
                units.add(
                    (
                        town.pk,
                        town.code,
                        town.name,
                        town.kind,
                        plan.pk,
                        path,
                        d + 1,
                        town.order,
                        True,
                    )
                )
        for town in plan.towns:
            base = f"{top}{town.code}/"
            for order, village in enumerate(town.villages):
                village.pk = writer.next_pk(OrgUnit)
                units.add((village.pk, village.code, village.name, OrgUnitKind.VILLAGE, town.pk,
                           f"{base}{village.code}/", d + 2, 100 + order, True))  # fmt: skip
            for order, school in enumerate(town.schools):
                school.pk = writer.next_pk(OrgUnit)
                if school.is_campus:
                    parent_pk, depth = school.parent.pk, d + 3
                    path = f"{base}{school.parent.code}/{school.code}/"
                    kind = OrgUnitKind.CAMPUS
                else:
                    parent_pk, depth, path, kind = (
                        town.pk,
                        d + 2,
                        f"{base}{school.code}/",
                        OrgUnitKind.SCHOOL,
                    )
                units.add(
                    (school.pk, school.code, school.name, kind, parent_pk, path, depth, order, True)
                )
        districts = writer.table(SchoolDistrict, ("id", "town", "name"))
        for town in plan.towns:
            if town.is_town:
                town.school_district_pk = writer.next_pk(SchoolDistrict)
                town.school_district_name = school_district_name(plan, town)
                districts.add((town.school_district_pk, town.pk, town.school_district_name))
        groups = self._education_groups()
        schools = writer.table(
            School,
            ("org_unit", "stage", "ownership", "is_inclusive", "urban_rural_code", "is_town_seat",
             "campus_type", "school_district", "education_group", "credit_code"),
        )  # fmt: skip
        for s in self.sites:
            schools.add((
                s.pk, s.stage, s.ownership, s.inclusive, s.urban_rural_code, s.seat,
                CampusType.TEACHING_POINT if s.is_campus else "", s.town.school_district_pk,
                groups.get(s.index), "",
            ))  # fmt: skip
        pilots = writer.table(TownPilot, ("id", "town", "level", "started_year"))
        for town in plan.towns:
            if town.pilot:
                level, started = town.pilot
                pilots.add((writer.next_pk(TownPilot), town.pk, PilotLevel(level), started))
        self._titles()
        self._pairings()
        self._university_bases()

    def _education_groups(self) -> dict[int, int]:
        rng, writer = self.rng, self.writer
        leads = self.urban_by_role[shape.URBAN_PRIMARY] + self.urban_by_role[shape.URBAN_JUNIOR]
        rng.shuffle(leads)
        count = min(len(leads), 4 if self.plan.code == shape.ZICHUAN else rng.randint(2, 3))
        model_years = [2023, 2024, 2024, 2025] if self.plan.code == shape.ZICHUAN else None
        table = writer.table(
            EducationGroup, ("id", "name", "lead_school", "founded_year", "model_year")
        )
        members: dict[int, int] = {}
        rural = [s for s in self.rural_legal if not s.kindergarten]
        for n, lead in enumerate(leads[:count]):
            pk = writer.next_pk(EducationGroup)
            founded = rng.randint(2018, 2022)
            if model_years:
                model_year = model_years[n]
            else:
                model_year = rng.choice((None, 2022, 2023, 2024, 2025))
            name = self._unique(f"{self.plan.label}{lead.name}教育集团")
            table.add((pk, name, lead.pk, founded, model_year))
            members[lead.index] = pk
            same = [s for s in rural if s.stage == lead.stage and s.index not in members]
            for member in rng.sample(same, min(len(same), rng.randint(1, 3))):
                members[member.index] = pk
        return members

    def _titles(self) -> None:
        rng, writer = self.rng, self.writer
        table = writer.table(TitleAward, ("id", "school", "kind", "level", "grade", "awarded_year"))

        def award(site, kind, level, year, grade=""):
            table.add((writer.next_pk(TitleAward), site.pk, kind, level, grade, year))

        seats = self.seat_schools
        city_civilised = rng.sample(seats, min(len(seats), max(1, round(len(seats) * 0.06))))
        for n, site in enumerate(city_civilised):
            award(site, TitleKind.CIVILISED, TitleLevel.CITY, 2022 if n == 0 else 2025)
        for site in self.sites:
            if rng.random() < (0.7 if not site.rural else 0.45):
                award(site, TitleKind.CIVILISED, TitleLevel.COUNTY, rng.randint(2012, self.last))
            if not site.rural and site not in city_civilised and rng.random() < 0.12:
                award(site, TitleKind.CIVILISED, TitleLevel.CITY, rng.randint(2015, self.last))
            for feature, kind in (
                ("green_campus", TitleKind.GREEN),
                ("warm_campus", TitleKind.WARM),
            ):
                year = self.adoption_year(feature, site)
                if year is not None:
                    award(site, kind, TitleLevel.COUNTY, year)
                    if rng.random() < 0.12:
                        award(site, kind, TitleLevel.CITY, max(year, rng.randint(year, self.last)))
            if rng.random() < 0.1:
                award(site, TitleKind.READING, TitleLevel.COUNTY, rng.randint(2016, self.last))
            if site.kindergarten:
                self._kindergarten_titles(site, award)
        reading = [s for s in self.rural_legal if not s.kindergarten]
        if reading and self.last >= 2024:
            award(rng.choice(reading), TitleKind.READING, TitleLevel.PROVINCIAL, 2024)

    def _kindergarten_titles(self, site, award) -> None:
        grades: dict[int, str] = {}
        if site.role == shape.CENTRAL_KG:
            grades = dict.fromkeys(self.years, KindergartenGrade.GRADE_1)
            award(
                site,
                TitleKind.KINDERGARTEN_GRADE,
                TitleLevel.PROVINCIAL,
                2016,
                KindergartenGrade.GRADE_1,
            )
            year = self.adoption_year("kindergarten_model_central", site)
            if year is not None:
                award(site, TitleKind.MODEL_KINDERGARTEN, TitleLevel.PROVINCIAL, year)
        elif site.role == shape.VILLAGE_KG:
            year = self.adoption_year("kindergarten_class2_public", site)
            for y in self.years:
                grades[y] = (
                    KindergartenGrade.GRADE_2
                    if year is not None and y >= year
                    else KindergartenGrade.GRADE_3
                )
            grade = grades[self.last]
            award(site, TitleKind.KINDERGARTEN_GRADE, TitleLevel.PROVINCIAL, year or 2017, grade)
        elif site.ownership == "public":
            grades = dict.fromkeys(self.years, KindergartenGrade.GRADE_1)
            award(
                site,
                TitleKind.KINDERGARTEN_GRADE,
                TitleLevel.PROVINCIAL,
                2015,
                KindergartenGrade.GRADE_1,
            )
            if self.rng.random() < 0.5:
                award(
                    site,
                    TitleKind.MODEL_KINDERGARTEN,
                    TitleLevel.PROVINCIAL,
                    self.rng.randint(2016, 2022),
                )
        else:
            grade = KindergartenGrade.GRADE_2 if site.inclusive else KindergartenGrade.GRADE_3
            if self.rng.random() < 0.3:
                grade = KindergartenGrade.UNRATED
            grades = dict.fromkeys(self.years, grade)
            if grade != KindergartenGrade.UNRATED:
                award(site, TitleKind.KINDERGARTEN_GRADE, TitleLevel.PROVINCIAL, 2018, grade)
        self.kg_grade[site.index] = grades

    def _pairings(self) -> None:
        rng, writer = self.rng, self.writer
        table = writer.table(Pairing, ("id", "partner", "school", "started_on", "ended_on"))
        partners = {
            "kg": [s for s in self.urban_by_role[shape.URBAN_KG] if s.ownership == "public"],
            SchoolStage.PRIMARY: self.urban_by_role[shape.URBAN_PRIMARY]
            + self.urban_by_role[shape.NINE_YEAR],
            SchoolStage.JUNIOR: self.urban_by_role[shape.URBAN_JUNIOR]
            + self.urban_by_role[shape.NINE_YEAR],
        }
        fallback = [s for s in self.legal if not s.rural] or [s for s in self.legal if s.seat]
        for site in self.rural_legal:
            if site.ownership != "public":
                continue
            year = self.adoption_year("pairing", site, urban_bonus=0)
            if year is None:
                continue
            pool = partners.get("kg" if site.kindergarten else site.stage) or fallback
            pool = [p for p in pool if p is not site] or fallback
            start = dt.date(year, 9, 1) + dt.timedelta(days=rng.randint(0, 40))
            if year < self.first and rng.random() < 0.06:
                # An earlier pairing ended and the school was paired anew.
                end = dt.date(self.first + 1, 7, 15)
                table.add(
                    (writer.next_pk(Pairing), rng.choice(pool).pk, site.pk, iso(start), iso(end))
                )
                start = dt.date(self.first + 1, 9, 1)
            table.add((writer.next_pk(Pairing), rng.choice(pool).pk, site.pk, iso(start), None))

    def _university_bases(self) -> None:
        rng, writer = self.rng, self.writer
        table = writer.table(
            UniversityBase, ("id", "school", "partner", "kind", "founded_year", "ended_year")
        )
        for site in self.legal:
            if site.ownership != "public":
                continue
            year = self.adoption_year("research_base", site, urban_bonus=0.15)
            if year is not None:
                kind = BaseKind.RESEARCH if rng.random() < 0.4 else BaseKind.PRACTICE
                table.add(
                    (
                        writer.next_pk(UniversityBase),
                        site.pk,
                        rng.choice(INSTITUTES),
                        kind,
                        year,
                        None,
                    )
                )


def school_district_name(plan: shape.DistrictPlan, town: shape.Town) -> str:
    """学区 names; Zichuan keeps the plain "<镇>学区" the first demo used."""
    if plan.code == shape.ZICHUAN:
        return f"{town.name}学区"
    return f"{plan.label}{town.name}学区"
