"""Yearly facility records, kindergarten classes and village records of the demo district."""

import math
import random
from collections import defaultdict

from ruraledu.facilities.choices import KindergartenLevel, MealService
from ruraledu.facilities.models import FacilityRecord, KindergartenClass, VillageRecord

from . import district as shape
from .common import Staff, Student
from .trends import share

FACILITY_FIELDS = (
    "id", "school", "year", "building_area", "teaching_area", "gym_area", "sports_ground_area",
    "outdoor_play_area", "equipment_value", "books", "classrooms", "classrooms_lighting_ok",
    "classrooms_100mbps", "multimedia_classrooms", "recording_rooms", "uplink_mbps",
    "water_passed", "hot_water", "clean_heating", "cooling", "sanitary_toilets", "meal_service",
    "boarding", "boarding_condition_ok", "teacher_dorm_needed", "teacher_dorm_provided",
    "resource_room", "special_ed_centre", "left_behind_room", "labour_site", "parent_committee",
    "parent_school", "moral_plan_on_file", "establishment_posts", "kindergarten_grade",
    "music_rooms", "music_room_area", "art_rooms", "art_room_area", "public_funds",
    "funded_pupils", "training_funds",
)  # fmt: skip

# 优质均衡 per-student thresholds (reference/yzjh_resource_indicators_2017.csv), the stand-in
# for 省定Ⅱ类: teaching area, sports area, equipment value, multimedia rooms per 100 students.
THRESHOLDS = {
    "primary": (4.5, 7.5, 2000.0, 2.3),
    "junior": (5.8, 10.2, 2500.0, 2.4),
}
KG_BUILDING_PER_CHILD = 10.44  # 普及普惠 Q4 (待核定)
KG_OUTDOOR_PER_CHILD = 4.0
KG_LEVELS = (
    (KindergartenLevel.SMALL, 25),
    (KindergartenLevel.MIDDLE, 30),
    (KindergartenLevel.LARGE, 35),
)


class FacilitiesMixin:
    """Part of DistrictSimulation (registry.py); uses its state and ranks."""

    def _kindergarten_children(self, year: int) -> dict[int, int]:
        """Children per kindergarten, written as KindergartenClass rows for the year."""
        rng, writer = self.rng, self.writer
        table = writer.table(
            KindergartenClass,
            ("id", "school", "year", "level", "classes", "children", "oversized_classes"),
        )
        totals = {}
        for site in self.sites:
            if not site.kindergarten:
                continue
            if site.town.is_town:
                if site.ownership == "public":
                    growth = share("kg_public_growth", year)
                else:
                    growth = share(
                        "kg_private_growth" if site.inclusive else "kg_other_growth", year
                    )
            else:
                growth = 1.0 + 0.01 * (year - self.first)
            total = 0
            for level, size in KG_LEVELS:
                children = max(4, round(site.cohort * growth * rng.uniform(0.9, 1.1)))
                classes = max(1, round(children / (size * rng.uniform(0.85, 1.08))))
                oversized = classes if children / classes > size else 0
                table.add(
                    (
                        writer.next_pk(KindergartenClass),
                        site.pk,
                        year,
                        level,
                        classes,
                        children,
                        oversized,
                    )
                )
                total += children
            totals[site.index] = total
        return totals

    def _write_facilities(self, year, by_site, counts) -> None:
        t = self.writer.table(FacilityRecord, FACILITY_FIELDS)
        resource_towns = {
            town for town in self.plan.towns
            if town.is_town and self._town_rank("resource_rooms_town", town) < share("resource_rooms_town", year)
        }  # fmt: skip
        centre_towns = {
            town for town in self.plan.towns
            if town.is_town and self._town_rank("special_ed_centre_town", town) < share("special_ed_centre_town", year)
        }  # fmt: skip
        staff_by_site: dict[int, list[Staff]] = defaultdict(list)
        for p in self.staff:
            staff_by_site[p.site.index].append(p)
        dormitory = share("dormitory", year)
        vacancy_rate = share("vacancy_rural", year)
        for site in self.sites:
            n = counts[site.index]
            students = by_site[site.index]
            rural = site.rural
            frng = random.Random(f"{self.seed}/{site.code}/{year}")
            classes = 0  # kindergartens: no 专用教室
            if site.kindergarten:
                areas = self._kindergarten_areas(site, n, year, frng)
                classrooms = max(3, round(n / 28))
            else:
                areas = self._school_areas(site, n, year, frng)
                grades = site.grade_high - site.grade_low + 1
                size = 40 if rural else 45
                per_grade = defaultdict(int)
                for s in students:
                    per_grade[s.grade] += 1
                classes = sum(max(1, math.ceil(c / size)) for c in per_grade.values()) or grades
                if site.role == shape.TEACHING_POINT:
                    classes = min(classes, 2)
                classrooms = classes + max(1, round(classes * 0.3))
            building, teaching, gym, sports, outdoor, equipment, books, multimedia = areas
            lit = (
                classrooms
                if self.has("lighting", site, year, 0.6)
                else classrooms - max(1, round(classrooms * frng.uniform(0.1, 0.5)))
            )
            fast = (
                classrooms
                if self.has("classroom_100m", site, year)
                else round(classrooms * frng.uniform(0.3, 0.8))
            )
            gigabit = self.has("gigabit", site, year)
            recording = 0
            if site.seat and not site.kindergarten:
                recording = 1 if self.has("recording_seat", site, year) else 0
            elif not rural and n > 1200:
                recording = 1 + (n > 2000)
            water_hot = self.has("water_hot", site, year, 0.1)
            heating = self.has("heating_cooling", site, year, 0.3)
            parent_bodies = self.has("parent_bodies", site, year)
            boarding = any(self._boards(s) for s in students) if students else False
            staff = staff_by_site[site.index]
            dorm_needed = sum(1 for p in staff if p.needs_dorm)
            dorm_provided = sum(1 for p in staff if p.needs_dorm and p.u_dorm < dormitory)
            established = sum(1 for p in staff if p.establishment)
            if site.ownership != "public":
                posts = 0
            elif rural:
                posts = (
                    established + int(vacancy_rate * 1.5 + frng.random())
                    if frng.random() < 0.66
                    else established
                )
            else:
                posts = established + frng.randint(0, 1)
            town = site.town
            central = site.role in (shape.CENTRAL_PRIMARY, shape.CENTRAL_JUNIOR, shape.CENTRAL_KG)
            resource_room = (
                (central and town in resource_towns)
                or (central and site.role == shape.CENTRAL_PRIMARY and town.is_town)
                or (not rural and n > 900)
                or site.role == shape.SPECIAL
            )
            if site.kindergarten:
                meal = MealService.CANTEEN
            elif site.role in (shape.VILLAGE_PRIMARY, shape.TEACHING_POINT) or (
                not rural and frng.random() < 0.5
            ):
                meal = MealService.CATERING
            else:
                meal = MealService.CANTEEN
            t.add((
                self.writer.next_pk(FacilityRecord), site.pk, year, building, teaching, gym, sports,
                outdoor, equipment, books, classrooms, lit, fast, multimedia, recording,
                1000 if gigabit else frng.choice((100, 200, 300, 500)),
                water_hot or frng.random() < 0.7, water_hot, heating, heating or frng.random() < 0.5,
                self.has("toilets", site, year, 0.2), meal, boarding,
                boarding and self.has("boarding_ok", site, year),
                dorm_needed, dorm_provided, resource_room,
                site.role == shape.CENTRAL_PRIMARY and town in centre_towns,
                self.has("care_room", site, year, 0),
                self.has("labour_site", site, year, 0.1),
                parent_bodies or frng.random() < 0.5, parent_bodies,
                self.has("moral_plan", site, year), posts,
                self.kg_grade.get(site.index, {}).get(year, "") if site.kindergarten else "",
                *self._evaluation_facility(site, n, classes, year),
            ))  # fmt: skip

    def _evaluation_facility(self, site, n: int, classes: int, year: int) -> tuple:
        """音乐/美术 rooms (one each per 12 classes, some rural schools short), 公用经费 per pupil
        (small schools funded as 100 pupils, a few not), 培训经费 (5 % of it, a few less). Drawn
        from a stream of their own so the other figures stay as they were."""
        erng = random.Random(f"{self.seed}/{site.code}/{year}/evaluation")
        music = art = 0
        music_area = art_area = 0.0
        if classes and site.role not in (shape.TEACHING_POINT, shape.SPECIAL):
            needed = max(1, math.ceil(classes / 12))
            short = site.rural and erng.random() < max(0.08, 0.35 - 0.06 * (year - 2021))
            music = needed - (1 if short and erng.random() < 0.6 else 0)
            art = needed - (1 if short and erng.random() < 0.6 else 0)
            music_area = sum(erng.uniform(92, 130) for _ in range(music))
            art_area = sum(erng.uniform(86, 120) for _ in range(art))
        per_pupil = {True: 600.0, False: 720.0 if site.grade_high <= 6 else 940.0}[
            bool(site.kindergarten)
        ]
        if site.role == shape.SPECIAL:
            per_pupil = erng.uniform(6000, 7200)
        funded = n
        if n < 100 and not site.kindergarten and site.role != shape.SPECIAL:
            funded = 100 if erng.random() < 0.9 else n
        funds = round(per_pupil * funded, 2) if n else 0.0
        training = round(funds * (erng.uniform(0.05, 0.08) if erng.random() < 0.9 else 0.03), 2)
        return music, round(music_area, 2), art, round(art_area, 2), funds, funded, training

    @staticmethod
    def _boards(s: Student) -> bool:
        role = s.site.role
        return (
            (role == shape.CENTRAL_JUNIOR and s.distance > 6 and s.u_board < 0.6)
            or (
                role == shape.CENTRAL_PRIMARY
                and s.grade >= 4
                and s.distance > 8
                and s.u_board < 0.3
            )
            or (role == shape.SPECIAL and s.u_board < 0.5)
        )

    def _factors(
        self, site, year: int, feature: str, count: int, frng: random.Random
    ) -> list[float]:
        """Per-indicator multiples of the threshold: all ≥ 1 once the school meets the standard,
        otherwise one or two indicators short (the same ones every year)."""
        srng = random.Random(f"{self.seed}/{site.code}/factors")
        base = [1.0 + srng.random() * 0.6 for _ in range(count)]
        weak = srng.sample(range(count), 1 + (srng.random() < 0.4))
        short = [0.7 + srng.random() * 0.25 for _ in range(count)]
        meets = self.has(feature, site, year, 0.3)
        growth = 0.015 * (year - self.first)
        return [
            b if meets or i not in weak else min(0.98, short[i] + growth)
            for i, b in enumerate(base)
        ]

    def _school_areas(self, site, n: int, year: int, frng: random.Random) -> tuple:
        key = "junior" if site.role in (shape.URBAN_JUNIOR, shape.CENTRAL_JUNIOR) else "primary"
        teaching_min, sports_min, equipment_min, multimedia_min = THRESHOLDS[key]
        if site.role == shape.NINE_YEAR:
            teaching_min, sports_min = 5.0, 8.5
        feature = "class2_seat" if site.seat else "class2_rural"
        f_teaching, f_sports, f_equipment, f_multimedia = self._factors(
            site, year, feature, 4, frng
        )
        n = max(n, 1)
        teaching = round(n * teaching_min * f_teaching, 2)
        sports = n * sports_min * f_sports
        gym = round(sports * (0.15 if n > 300 else 0.0), 2)
        ground = round(sports - gym, 2)
        building = round(teaching * frng.uniform(1.55, 1.75), 2)
        equipment = round(n * equipment_min * f_equipment, 2)
        multimedia = max(1, math.ceil(n * multimedia_min * f_multimedia / 100))
        books = round(n * (35 if key == "junior" else 30) * f_teaching)
        return building, teaching, gym, ground, 0, equipment, books, multimedia

    def _kindergarten_areas(self, site, n: int, year: int, frng: random.Random) -> tuple:
        f_building, f_outdoor = self._factors(site, year, "class2_kindergarten", 2, frng)
        n = max(n, 1)
        building = round(n * KG_BUILDING_PER_CHILD * f_building, 2)
        outdoor = round(n * KG_OUTDOOR_PER_CHILD * f_outdoor, 2)
        equipment = round(n * 800 * f_building, 2)
        return (
            building,
            round(building * 0.6, 2),
            0,
            0,
            outdoor,
            equipment,
            n * 10,
            max(1, round(n / 60)),
        )

    def _write_villages(self, year: int) -> None:
        writer = self.writer
        table = writer.table(
            VillageRecord,
            ("id", "village", "year", "parent_school", "guidance_station", "civilisation_station",
             "preschool_population"),
        )  # fmt: skip
        level = share("village_parent_school", year)
        for town in self.plan.towns:
            for village in town.villages:
                vrng = random.Random(f"{self.seed}/{village.code}")
                rank = vrng.random() * (0.8 if village.civilisation_station else 1.0)
                covered = rank < level
                school = covered and vrng.random() < 0.7
                table.add((
                    writer.next_pk(VillageRecord), village.pk, year, school, covered and not school,
                    village.civilisation_station, round(village.weight * vrng.uniform(40, 120)),
                ))  # fmt: skip
