"""Yearly activities: studios, 包校 links and 听课, public lessons, trips, training, interns,
nominations, courses and 学区 roles."""

import datetime as dt
import random
from collections import defaultdict

from ruraledu.activities.choices import DistrictRole, LessonKind, Level, Programme, TrainingKind
from ruraledu.activities.models import (
    CityTrip,
    DistrictRoleAssignment,
    FeatureCourse,
    InternPlacement,
    LessonObservation,
    Nomination,
    PublicLesson,
    SchoolLink,
    Studio,
    Training,
)
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.workforce.choices import BackboneLevel, Honour, Position, Subject

from . import district as shape
from . import names
from .common import INSTITUTES, Staff, iso, school_days, weighted
from .trends import share

COURSES = (
    "聊斋俚曲", "五音戏", "剪纸", "鲁绣", "陶艺", "葫芦烙画", "校园足球", "花样跳绳", "太极拳",
    "软笔书法", "农耕劳动", "蒲松龄文化", "孝善文化", "科技创新", "编程机器人", "国画", "民乐",
)  # fmt: skip


class ActivitiesMixin:
    """Part of DistrictSimulation (registry.py); uses its state and ranks."""

    def _activities(self, year: int, by_site, teachers) -> None:
        self._studios(year)
        self._links_and_observations(year)
        self._public_lessons(year)
        self._city_trips(year, by_site)
        self._trainings(year)
        self._interns(year)
        self._nominations(year)
        self._courses(year)
        self._district_roles(year)

    def _studios(self, year: int) -> None:
        rng, writer = self.rng, self.writer
        table = writer.table(
            Studio, ("id", "name", "host", "level", "town", "school", "founded_year", "closed_year")
        )
        towns = self.plan.towns
        if year == self.first:
            for town in towns:
                if town.pilot and town.pilot[0] in ("province", "city"):
                    self.studio_year[town] = (rng.choice((2020, 2021, 2022)), Level.CITY)
                elif town.kind == OrgUnitKind.SUBDISTRICT:
                    self.studio_year[town] = (rng.randint(2016, 2020), Level.CITY)
                elif town.is_town:
                    for y in range(self.first, self.last + 1):
                        if self._town_rank("studio_town", town) < share("studio_town", y):
                            self.studio_year[town] = (y if y > self.first else y - 1, Level.COUNTY)
                            break
                else:
                    self.studio_year[town] = (2022, Level.COUNTY)
        for town, (founded, level) in self.studio_year.items():
            if max(founded, self.first) != year:
                continue
            staff = [p for p in self.staff if p.site.town is town and p.position == Position.TEACHER
                     and 35 <= year - p.birth_year <= 55]  # fmt: skip
            if not staff:
                continue
            staff.sort(
                key=lambda p: (p.honour != Honour.FAMOUS_TEACHER, p.honour != Honour.BACKBONE, p.pk)
            )
            host = staff[0] if staff[0].honour else rng.choice(staff)
            host.honour = Honour.FAMOUS_TEACHER
            host.honour_level = BackboneLevel.CITY if level == Level.CITY else BackboneLevel.COUNTY
            subject = Subject(host.subject).label if host.subject else ""
            name = self._unique(f"{self.plan.label}{town.name}{host.name}{subject}名师工作室")
            table.add(
                (
                    writer.next_pk(Studio),
                    name,
                    host.pk,
                    level,
                    town.pk,
                    host.site.legal.pk,
                    founded,
                    None,
                )
            )

    def _backbones(self) -> list[Staff]:
        return [p for p in self.staff if p.backbone and not p.researcher]

    def _links_and_observations(self, year: int) -> None:
        rng, writer = self.rng, self.writer
        links = writer.table(SchoolLink, ("id", "person", "school", "year"))
        observations = writer.table(
            LessonObservation, ("id", "school", "held_on", "year", "semester", "observer")
        )
        researchers = [p for p in self.staff if p.researcher]
        pilot_schools = [
            s for s in self.legal
            if s.town.pilot and s.town.pilot[0] in ("province", "city") and not s.kindergarten
        ]  # fmt: skip
        rural_targets = [s for s in self.rural_legal if not s.kindergarten] or self.legal
        linked: set[tuple[int, int]] = set()

        def link(person: Staff, school) -> None:
            if (person.pk, school.pk) not in linked:
                linked.add((person.pk, school.pk))
                links.add((writer.next_pk(SchoolLink), person.pk, school.pk, year))

        if researchers:
            for n, school in enumerate(pilot_schools):
                observer = researchers[n % len(researchers)]
                link(observer, school)
                prng = random.Random(f"{self.seed}/{school.code}/observations")
                rank = prng.random()
                for semester, days in enumerate(school_days(year), start=1):
                    count = (
                        prng.randint(8, 11)
                        if rank < share("observation_pairs", year)
                        else prng.randint(3, 7)
                    )
                    for day in sorted(rng.sample(days, count)):
                        observations.add(
                            (
                                writer.next_pk(LessonObservation),
                                school.pk,
                                day,
                                year,
                                semester,
                                observer.pk,
                            )
                        )
            # Beyond their 包校 schools, 教研员 also serve one rural school outside the pilot towns.
            others = [s for s in rural_targets if s not in pilot_schools] or rural_targets
            for p in researchers:
                link(p, rng.choice(others))
        level = share("school_link", year)
        for p in self._backbones():
            if p.u_link < level:
                same_town = [
                    s for s in rural_targets if s.town is p.site.town and s is not p.site.legal
                ]
                link(p, rng.choice(same_town or rural_targets))

    def _public_lessons(self, year: int) -> None:
        rng, writer = self.rng, self.writer
        table = writer.table(
            PublicLesson,
            ("id", "school", "held_on", "year", "semester", "teacher", "kind", "topic"),
        )
        if not self.seat_schools:
            return
        sem1, sem2 = school_days(year)
        days = sem1 + sem2
        level = share("seat_lessons", year)
        seats_by_town: dict[shape.Town, list] = defaultdict(list)
        for s in self.seat_schools:
            seats_by_town[s.town].append(s)
        backbones = self._backbones()
        for p in backbones:
            count = rng.randint(5, 7) if p.u_lesson < level else rng.randint(0, 4)
            pool = seats_by_town.get(p.site.town) or self.seat_schools
            for day in rng.sample(days, count):
                kind = LessonKind.PUBLIC if rng.random() < 0.6 else LessonKind.DEMONSTRATION
                semester = 1 if day in sem1 else 2
                table.add(
                    (
                        writer.next_pk(PublicLesson),
                        rng.choice(pool).pk,
                        day,
                        year,
                        semester,
                        p.pk,
                        kind,
                        "",
                    )
                )
        famous = [
            p
            for p in backbones
            if p.honour == Honour.FAMOUS_TEACHER or p.honour_level != BackboneLevel.COUNTY
        ]
        famous = famous or backbones
        if not famous:
            return
        for school in self.seat_schools:
            if self.has("famous_lesson_seat", school, year):
                teacher = rng.choice(famous)
                day = rng.choice(sem2)
                table.add(
                    (
                        writer.next_pk(PublicLesson),
                        school.pk,
                        day,
                        year,
                        2,
                        teacher.pk,
                        LessonKind.FAMOUS,
                        "名师课堂",
                    )
                )

    def _city_trips(self, year: int, by_site) -> None:
        rng, writer = self.rng, self.writer
        trips = writer.table(CityTrip, ("id", "school", "held_on", "year", "semester", "title"))
        participants = writer.table(
            CityTrip.participants.through, ("id", "citytrip", "studentperson")
        )
        chance = share("trip_yearly", year)
        sem1, sem2 = school_days(year)
        for site in self.sites:
            if not site.rural or site.grade_low == 0:
                continue
            for stage, low, high in (("小学", 4, 6), ("初中", 7, 9)):
                group = []
                for s in by_site[site.index]:
                    if low <= s.grade <= high:
                        done = s.trip_primary if high == 6 else s.trip_junior
                        if not done and rng.random() < chance:
                            group.append(s)
                            if high == 6:
                                s.trip_primary = True
                            else:
                                s.trip_junior = True
                if not group:
                    continue
                trip_pk = writer.next_pk(CityTrip)
                day = rng.choice(sem2 if rng.random() < 0.6 else sem1)
                semester = 1 if day in sem1 else 2
                trips.add(
                    (
                        trip_pk,
                        site.legal.pk,
                        day,
                        year,
                        semester,
                        f"{year}学年进城研学（{stage}·{site.name}）",
                    )
                )
                for s in group:
                    participants.add((writer.next_pk(CityTrip.participants.through), trip_pk, s.pk))

    def _trainings(self, year: int) -> None:
        rng, writer = self.rng, self.writer
        table = writer.table(
            Training, ("id", "person", "level", "kind", "cycle", "held_on", "title")
        )
        level_share = share("principal_training", year)

        def cycle(y: int) -> str:
            start = 2020 + (y - 2020) // 3 * 3
            return f"{start}-{start + 2}"

        for p in self.staff:
            # 骨干 leaders go to a city or county 轮训 once every three school years (project 21).
            if p.leader and p.honour and (p.rotation is None or year - p.rotation >= 3):
                if p.u_training < (level_share if p.site.rural else min(1.0, level_share + 0.1)):
                    held = year - rng.randint(0, 2) if year == self.first else year
                    sem1, sem2 = school_days(held)
                    level = Level.CITY if rng.random() < 0.4 else Level.COUNTY
                    day = rng.choice(sem1 + sem2)
                    table.add(
                        (
                            writer.next_pk(Training),
                            p.pk,
                            level,
                            TrainingKind.ROTATION,
                            cycle(held),
                            day,
                            "校（园）长轮训",
                        )
                    )
                    p.rotation = held
            if p.position != Position.STAFF and rng.random() < 0.06:
                level = weighted(rng, ((Level.COUNTY, 70), (Level.CITY, 25), (Level.PROVINCE, 5)))
                day = rng.choice(school_days(year)[0] + school_days(year)[1])
                table.add(
                    (
                        writer.next_pk(Training),
                        p.pk,
                        level,
                        TrainingKind.TOPIC,
                        cycle(year),
                        day,
                        "教师专题培训",
                    )
                )

    def _interns(self, year: int) -> None:
        rng, writer = self.rng, self.writer
        table = writer.table(
            InternPlacement,
            ("id", "school", "year", "name", "university", "started_on", "ended_on"),
        )
        schedule = {2021: 25, 2022: 28, 2023: 31, 2024: 30, 2025: 29}
        count = schedule.get(year, 30) if self.plan.code == shape.ZICHUAN else rng.randint(24, 34)
        hosts = [s for s in self.rural_legal if not s.kindergarten] or self.legal
        seen: set[tuple] = set()
        while count:
            school, sex = rng.choice(hosts), rng.choice("12")
            name, university = names.person_name(rng, sex), rng.choice(INSTITUTES)
            if (school.pk, name, university) in seen:
                continue
            seen.add((school.pk, name, university))
            start = dt.date(year, 9, 1) + dt.timedelta(days=rng.randint(0, 10))
            table.add((writer.next_pk(InternPlacement), school.pk, year, name, university,
                       iso(start), iso(dt.date(year + 1, 1, 15))))  # fmt: skip
            count -= 1

    def _nominations(self, year: int) -> None:
        rng, writer = self.rng, self.writer
        table = writer.table(Nomination, ("id", "person", "programme", "level", "year", "cycle"))
        young = [
            p
            for p in self.staff
            if p.site.rural and p.position == Position.TEACHER and year - p.birth_year < 36
        ]
        for p in rng.sample(young, min(len(young), rng.randint(2, 4))):
            level = Level.NATIONAL if rng.random() < 0.15 else Level.PROVINCE
            table.add((writer.next_pk(Nomination), p.pk, Programme.YOUNG_TEACHER, level, year, ""))
        if year in (2021, 2024):
            cycle = f"{year}-{year + 2}"
            teachers = [p for p in self._backbones() if p.position == Position.TEACHER]
            heads = [p for p in self.staff if p.position == Position.PRINCIPAL and p.honour]
            for pool, programme, per in (
                (teachers, Programme.FAMOUS_TEACHER, 8),
                (heads, Programme.FAMOUS_PRINCIPAL, 10),
            ):
                for p in rng.sample(pool, min(len(pool), max(1, len(pool) // per))):
                    level = Level.CITY if rng.random() < 0.4 else Level.COUNTY
                    table.add((writer.next_pk(Nomination), p.pk, programme, level, year, cycle))

    def _courses(self, year: int) -> None:
        rng, writer = self.rng, self.writer
        table = writer.table(FeatureCourse, ("id", "school", "year", "name", "is_club", "promoted"))
        candidates = []
        rows = []
        for site in self.legal:
            if site.index not in self.courses:
                crng = random.Random(f"{self.seed}/{site.code}/courses")
                self.courses[site.index] = crng.sample(COURSES, 3)
            own = self.courses[site.index]
            if site.rural and not self.has("feature_course", site, year):
                continue
            count = 1 + (rng.random() < 0.4) if site.rural else rng.randint(1, 2)
            for name in own[:count]:
                rows.append([site, name, False, False])
                if site.rural:
                    candidates.append(rows[-1])
            if rng.random() < 0.5:
                rows.append([site, f"{own[2]}社团", True, False])
        for row in rng.sample(candidates, min(len(candidates), rng.randint(1, 3))):
            row[3] = True
        for site, name, club, promoted in rows:
            table.add((writer.next_pk(FeatureCourse), site.pk, year, name, club, promoted))

    def _district_roles(self, year: int) -> None:
        rng, writer = self.rng, self.writer
        table = writer.table(
            DistrictRoleAssignment, ("id", "school_district", "person", "role", "year")
        )
        towns = [t for t in self.plan.towns if t.is_town]
        late = max(towns, key=lambda t: t.pace) if towns else None
        for town in towns:
            staff = [p for p in self.staff if p.site.town is town and not p.researcher]
            director = next(
                (
                    p
                    for p in staff
                    if p.position == Position.PRINCIPAL and p.site.role == shape.CENTRAL_PRIMARY
                ),
                None,
            )
            if director is None:
                continue
            table.add((writer.next_pk(DistrictRoleAssignment), town.school_district_pk, director.pk,
                       DistrictRole.DIRECTOR, year))  # fmt: skip
            if town is late and year < 2024:
                continue
            senior = sorted(
                (p for p in staff if p.position == Position.TEACHER and year - p.birth_year >= 40),
                key=lambda p: p.pk,
            )
            for p in senior[: rng.randint(1, 2)]:
                table.add((writer.next_pk(DistrictRoleAssignment), town.school_district_pk, p.pk,
                           DistrictRole.ADVISER, year))  # fmt: skip
