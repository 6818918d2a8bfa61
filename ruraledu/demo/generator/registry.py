"""Yearly registry facts for one demo district, simulated year by year.

Students are people who move on: a grade up each September, from a 教学点 to its school, from
a primary to the junior school it feeds, out after grade 9, and a new grade-1 cohort comes in.
Staff age, retire, leave, get promoted and upgrade their degrees; posts are filled by transfers
from over-staffed schools first, then by new hires. Facilities, titles and activities follow
the shares in trends.py, each school or person taking part from a year decided by a stable
random rank (shifted by its town's pace), so features do not flicker on and off.
"""

import datetime as dt
import random
from collections import defaultdict

from ruraledu.core import crypto
from ruraledu.orgunits.choices import SchoolStage
from ruraledu.students.choices import FamilyStatus, IdKind, Placement, Transport
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.choices import BackboneLevel, Degree, Honour, Position, Subject, Title
from ruraledu.workforce.models import Post, StaffPerson

from . import district as shape
from . import names
from .activities import ActivitiesMixin
from .common import CENTRAL_ROLES, KG_LEADERS, LEADERS, PE_ART, Staff, Student, iso, weighted
from .facilities import FacilitiesMixin
from .structure import StructureMixin
from .trends import share
from .writer import BulkWriter

PERSON_FIELDS = ("id", "name", "id_cipher", "id_index", "id_hint", "sex", "birth_date")
POST_FIELDS = (
    "id", "person", "school", "year", "position", "is_establishment", "is_full_time_teacher",
    "subject", "degree", "title", "honour", "honour_level", "is_researcher", "hired_year",
    "bound_appointment", "peripatetic", "needs_dormitory", "has_dormitory", "health_check",
    "town_allowance_eligible", "town_allowance_received", "has_certificate", "training_hours_5y",
    "rotated",
)  # fmt: skip
ENROLMENT_FIELDS = (
    "id", "person", "school", "campus", "year", "grade", "class_name", "boarding", "distance_km",
    "transport", "lunch_needed", "lunch_served", "left_behind", "disability", "placement",
    "orphan", "unattended", "hardship", "family_status", "struggling", "aid_received", "mentor",
    "nearby_admission", "migrant",
)  # fmt: skip

PRIMARY_SUBJECTS = (
    (Subject.CHINESE, 30), (Subject.MATHS, 24), (Subject.ENGLISH, 8), (Subject.SCIENCE, 6),
    (Subject.POLITICS, 4), (Subject.PE, 7), (Subject.MUSIC, 5), (Subject.ART, 5),
    (Subject.IT, 3), (Subject.LABOUR, 2), (Subject.PSYCHOLOGY, 1), (Subject.OTHER, 5),
)  # fmt: skip
JUNIOR_SUBJECTS = (
    (Subject.CHINESE, 14), (Subject.MATHS, 14), (Subject.ENGLISH, 13), (Subject.PHYSICS, 7),
    (Subject.CHEMISTRY, 5), (Subject.BIOLOGY, 5), (Subject.HISTORY, 6), (Subject.GEOGRAPHY, 5),
    (Subject.POLITICS, 7), (Subject.PE, 8), (Subject.MUSIC, 3), (Subject.ART, 3),
    (Subject.IT, 4), (Subject.PSYCHOLOGY, 2), (Subject.LABOUR, 1), (Subject.OTHER, 3),
)  # fmt: skip


def _stable(pk: int, salt: int = 1) -> float:
    """A draw in [0, 1) fixed by a record's key: new fields leave the seeded stream alone."""
    return (pk * 2654435761 + salt * 40503) % 1000003 / 1000003


class DistrictSimulation(StructureMixin, FacilitiesMixin, ActivitiesMixin):
    """Generates and writes every registry row of one district for the given years."""

    def __init__(
        self,
        plan: shape.DistrictPlan,
        *,
        years: list[int],
        seed: int,
        writer: BulkWriter,
        unique_names: set[str],
    ):
        self.plan = plan
        self.years = years
        self.first, self.last = years[0], years[-1]
        self.seed = seed
        self.rng = random.Random(f"{seed}/{plan.code}")
        self.writer = writer
        self.unique_names = unique_names
        self.ids = names.IdNumbers(plan.prefix)
        self.sites = plan.schools
        self.legal = [s for s in self.sites if not s.is_campus]
        self.rural_legal = [s for s in self.legal if s.rural and s.stage != SchoolStage.SPECIAL]
        self.urban_by_role: dict[str, list[shape.SchoolPlan]] = defaultdict(list)
        for site in self.sites:
            if not site.rural:
                self.urban_by_role[site.role].append(site)
        self.seat_schools = [s for s in self.sites if s.seat and not s.kindergarten]
        self.students: list[Student] = []
        self.staff: list[Staff] = []
        self._quantiles: dict[str, list[float]] = {}
        self.studio_year: dict[shape.Town, tuple[int, str]] = {}
        self.courses: dict[int, list[str]] = {}
        self.kg_grade: dict[int, dict[int, str]] = {}
        t = writer.table
        self.t_person = t(StaffPerson, PERSON_FIELDS)
        self.t_student = t(StudentPerson, (*PERSON_FIELDS, "id_kind", "village"))
        self.t_post = t(Post, POST_FIELDS)
        self.t_enrolment = t(Enrolment, ENROLMENT_FIELDS)

    def _unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self.unique_names:
            n += 1
            candidate = f"{name}{n}"
        self.unique_names.add(candidate)
        return candidate

    # ---------------------------------------------------------------- ranks
    def quantile(self, feature: str, site: shape.SchoolPlan) -> float:
        """A stable rank in (0, 1) of a school for a feature, within its group (urban; rural
        镇驻地 schools; other rural); schools of slower towns get higher ranks (adopt later)."""
        if feature not in self._quantiles:
            rng = random.Random(f"{self.seed}/{self.plan.code}/{feature}")
            values = [0.0] * len(self.sites)
            groups = defaultdict(list)
            for s in self.sites:
                groups[(s.rural, s.seat and not s.kindergarten)].append(s)
            for key in sorted(groups):
                members = groups[key]
                scored = sorted(members, key=lambda s: rng.random() + s.town.pace)
                for rank, s in enumerate(scored):
                    values[s.index] = (rank + 0.5) / len(scored)
            self._quantiles[feature] = values
        return self._quantiles[feature][site.index]

    def has(
        self, feature: str, site: shape.SchoolPlan, year: int, urban_bonus: float = 0.25
    ) -> bool:
        level = share(feature, year)
        if not site.rural:
            level = min(1.0, level + urban_bonus)
        return self.quantile(feature, site) < level

    def adoption_year(
        self, feature: str, site: shape.SchoolPlan, urban_bonus: float = 0.25
    ) -> int | None:
        """The year a school gets a lasting feature (title, pairing, base); earlier than the
        first generated year when it already had it then."""
        for year in range(self.first, self.last + 1):
            if self.has(feature, site, year, urban_bonus):
                if year == self.first:
                    return year - random.Random(f"{self.seed}/{site.code}/{feature}").randint(0, 4)
                return year
        return None

    # ---------------------------------------------------------------- people
    def _birth(self, year_of_birth: int) -> dt.date:
        return dt.date(year_of_birth, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def _person_columns(self, birth: dt.date, sex: str) -> tuple[bytes, str, str]:
        number = self.ids.issue(birth, sex)
        return crypto.encrypt(number), crypto.blind_index(number), crypto.hint(number)

    def _new_student(self, site: shape.SchoolPlan, grade: int, year: int) -> Student:
        rng = self.rng
        s = Student()
        s.pk = self.writer.next_pk(StudentPerson)
        sex = "1" if rng.random() < 0.52 else "2"
        birth = dt.date(year - 6 - grade, 9, 1) + dt.timedelta(days=rng.randrange(365))
        s.village = self._home_village(site)
        cipher, index, hint = self._person_columns(birth, sex)
        self.t_student.add((
            s.pk, names.person_name(rng, sex), cipher, index, hint, sex, iso(birth),
            IdKind.RESIDENT_ID, s.village.pk if s.village else None,
        ))  # fmt: skip
        s.site, s.grade = site, grade
        s.distance = self._distance(site, s.village)
        s.u_transport, s.u_mentor, s.u_board = rng.random(), rng.random(), rng.random()
        rural = site.rural
        s.left_behind = rng.random() < (0.085 if rural else 0.025)
        special = site.role == shape.SPECIAL
        s.disability = special or rng.random() < 0.01
        if special:
            s.placement = Placement.SPECIAL_SCHOOL
        elif s.disability:
            s.placement = Placement.HOME if rng.random() < 0.15 else Placement.MAINSTREAM
        else:
            s.placement = ""
        s.orphan = rng.random() < 0.001
        s.unattended = rng.random() < 0.0025
        s.hardship = rng.random() < 0.006
        roll = rng.random()
        if roll < (0.025 if rural else 0.005):
            s.family_status = FamilyStatus.LIFTED
        elif roll < (0.031 if rural else 0.006):
            s.family_status = FamilyStatus.MONITORED
        else:
            s.family_status = ""
        s.struggling = rng.random() < (0.06 if rural else 0.04)
        s.trip_primary = s.trip_junior = False
        s.mentor = None
        return s

    def _home_village(self, site: shape.SchoolPlan) -> shape.Village | None:
        rng, villages = self.rng, site.town.villages
        if not villages:
            return None
        if site.village is not None and site.role in (shape.VILLAGE_PRIMARY, shape.TEACHING_POINT):
            if rng.random() < 0.75:
                return site.village
        return rng.choices(villages, weights=[v.weight for v in villages])[0]

    def _distance(self, site: shape.SchoolPlan, village: shape.Village | None) -> float:
        rng, role = self.rng, site.role
        if not site.rural:
            if role == shape.SPECIAL:
                return round(rng.uniform(1.0, 15.0), 1)
            return round(min(8.0, 0.2 + rng.expovariate(1 / 0.9)), 1)
        if village is None:
            return round(rng.uniform(0.3, 3.0), 1)
        if role in (shape.VILLAGE_PRIMARY, shape.TEACHING_POINT):
            if village is site.village:
                return round(rng.uniform(0.1, 1.6), 1)
            gap = abs(village.seat_km - site.village.seat_km) if site.village else 2.0
            return round(min(12.0, gap * 0.6 + rng.uniform(0.5, 2.5)), 1)
        return round(max(0.2, village.seat_km + rng.uniform(-0.4, 0.8)), 1)

    def _cohort(self, site: shape.SchoolPlan, year: int) -> int:
        years = year - self.first
        if site.role == shape.TEACHING_POINT:
            trend = 0.93**years
        elif site.rural:
            trend = 0.965**years
        else:
            trend = 1.01**years
        return max(0, round(site.cohort * trend * self.rng.uniform(0.92, 1.08)))

    def _students_first_year(self, year: int) -> None:
        for site in self.sites:
            if site.kindergarten or site.grade_low == 0:
                continue
            for grade in range(site.grade_low, site.grade_high + 1):
                if grade >= 7 and site.role in (shape.NINE_YEAR,):
                    base = site.cohort * 1.6
                elif site.role in (shape.URBAN_JUNIOR, shape.CENTRAL_JUNIOR):
                    base = site.cohort
                else:
                    base = site.cohort * ((1 + 0.02 * (grade - 1)) if site.rural else 1.0)
                for _ in range(max(0, round(base * self.rng.uniform(0.92, 1.08)))):
                    self.students.append(self._new_student(site, grade, year))

    def _advance_students(self, year: int) -> None:
        rng = self.rng
        movers = {
            "primary": self.urban_by_role[shape.URBAN_PRIMARY],
            "junior": self.urban_by_role[shape.URBAN_JUNIOR] + self.urban_by_role[shape.NINE_YEAR],
        }
        kept = []
        for s in self.students:
            s.grade += 1
            site = s.site
            if s.grade > site.grade_high:
                if site.feeder is None or s.grade > 9:
                    continue  # graduated
                s.site = site.feeder
                s.distance = self._distance(s.site, s.village)
                s.mentor = None
            elif site.rural and 2 <= s.grade <= 8 and rng.random() < 0.012:
                pool = movers["primary" if s.grade <= 6 else "junior"]
                if pool:
                    s.site = rng.choice(pool)
                    s.distance = self._distance(s.site, None)
                    s.mentor = None
            if s.left_behind and rng.random() < 0.06:
                s.left_behind = False
            elif not s.left_behind and s.site.rural and rng.random() < 0.004:
                s.left_behind = True
            s.struggling = rng.random() < (
                0.6 if s.struggling else (0.035 if s.site.rural else 0.025)
            )
            kept.append(s)
        self.students = kept
        for site in self.sites:
            if site.grade_low == 1:
                for _ in range(self._cohort(site, year)):
                    self.students.append(self._new_student(site, 1, year))

    # ---------------------------------------------------------------- staff
    def _needs(self, site: shape.SchoolPlan, n: int) -> dict[str, int]:
        """Posts a site needs for n students (children for kindergartens)."""
        role = site.role
        if site.kindergarten:
            needs = {Position.KG_PRINCIPAL: 1, Position.KG_VICE_PRINCIPAL: int(n >= 150)}
            needs[Position.TEACHER] = max(2, round(n / 11))
            needs[Position.STAFF] = max(1, round(n / 40))
            return needs
        ratio, low = {
            shape.TEACHING_POINT: (10.0, 2), shape.VILLAGE_PRIMARY: (13.0, 6),
            shape.CENTRAL_PRIMARY: (16.5, 9), shape.URBAN_PRIMARY: (21.0, 8),
            shape.URBAN_JUNIOR: (14.5, 10), shape.CENTRAL_JUNIOR: (13.0, 10),
            shape.NINE_YEAR: (15.0, 12), shape.SPECIAL: (3.5, 8),
        }[role]  # fmt: skip
        teachers = max(low, round(n / ratio))
        if role == shape.TEACHING_POINT:
            return {Position.TEACHER: teachers}
        # Leaders first: a promotion then leaves a teacher post the same pass refills.
        return {
            Position.PRINCIPAL: 1,
            Position.VICE_PRINCIPAL: 1 + (n >= 600) + (n >= 1500),
            Position.MIDDLE_MANAGER: min(6, round(n / 600)),
            Position.TEACHER: teachers,
            Position.STAFF: max(1, round(teachers * 0.07)),
        }

    def _degree(self, site: shape.SchoolPlan, age: int, year: int, new_hire: bool) -> str:
        rng = self.rng
        roll = rng.random()
        if site.kindergarten:
            if new_hire:
                college = share("kg_hire_college", year) if site.rural else 0.95
            else:
                college = 0.72 if site.rural else 0.9
            if roll < college * (0.35 if site.rural else 0.5):
                return Degree.BACHELOR
            return Degree.COLLEGE if roll < college else Degree.SECONDARY
        if new_hire:
            bachelor = 0.93 if site.rural else 0.97
            postgraduate = 0.03 if site.rural else 0.1
        else:
            table = ((35, 0.97, 0.99), (45, 0.86, 0.96), (55, 0.7, 0.88), (99, 0.52, 0.75))
            bachelor = next(r if site.rural else u for top, r, u in table if age < top)
            postgraduate = (0.02 if site.rural else 0.1) if age < 40 else 0.01
        if roll < postgraduate:
            return Degree.POSTGRADUATE
        if roll < bachelor:
            return Degree.BACHELOR
        return Degree.COLLEGE if rng.random() < 0.85 or age < 40 else Degree.SECONDARY

    def _title(self, age: int) -> str:
        roll = self.rng.random()
        if age < 26:
            return Title.NONE if roll < 0.6 else Title.THIRD
        if age < 33:
            return Title.SECOND
        if age < 43:
            return Title.FIRST if roll < 0.7 else Title.SECOND
        if roll < 0.02:
            return Title.SENIOR_PLUS
        return Title.SENIOR if roll < 0.42 else Title.FIRST

    def _subject(self, site: shape.SchoolPlan) -> str:
        if site.kindergarten:
            return Subject.PRESCHOOL
        if site.role == shape.SPECIAL:
            return Subject.SPECIAL
        if site.role in (shape.URBAN_JUNIOR, shape.CENTRAL_JUNIOR):
            pairs = JUNIOR_SUBJECTS
        elif site.role == shape.NINE_YEAR:
            pairs = JUNIOR_SUBJECTS if self.rng.random() < 0.4 else PRIMARY_SUBJECTS
        else:
            pairs = PRIMARY_SUBJECTS
        subject = weighted(self.rng, pairs)
        # Small rural schools often lack PE and art specialists.
        if subject in PE_ART and site.role in (shape.VILLAGE_PRIMARY, shape.TEACHING_POINT):
            if self.rng.random() < 0.45:
                subject = Subject.CHINESE
        return subject

    def _new_staff(
        self, site, year: int, age: int, position: str, *, hired: int | None = None
    ) -> Staff:
        rng = self.rng
        p = Staff()
        p.pk = self.writer.next_pk(StaffPerson)
        female_share = 0.92 if site.kindergarten else (0.72 if not site.rural else 0.62)
        if position in (Position.PRINCIPAL, Position.VICE_PRINCIPAL):
            female_share = 0.35
        p.sex = "2" if rng.random() < female_share else "1"
        p.birth_year = year - age
        birth = self._birth(p.birth_year)
        p.name = names.person_name(rng, p.sex)
        cipher, index, hint = self._person_columns(birth, p.sex)
        self.t_person.add((p.pk, p.name, cipher, index, hint, p.sex, iso(birth)))
        p.site, p.position = site, position
        new_hire = hired == year
        p.hired_year = hired if hired is not None else min(year, p.birth_year + rng.randint(21, 25))
        p.degree = self._degree(site, age, year, new_hire)
        p.title = self._title(age)
        p.researcher = position == Position.RESEARCHER
        p.subject = self._subject(site) if position != Position.STAFF else ""
        public = site.ownership == "public"
        if not public:
            p.establishment = False
        elif site.kindergarten and site.town.is_town:
            p.establishment = rng.random() < (
                share("kindergarten_tenured_hire", year) if new_hire else 0.42
            )
        else:
            p.establishment = rng.random() < (0.95 if position != Position.STAFF else 0.6)
        p.bound = bool(
            new_hire and public and year >= 2023 and rng.random() < share("bound_appointment", year)
        )
        p.honour, p.honour_level = "", ""
        if position in (Position.PRINCIPAL, Position.KG_PRINCIPAL):
            if rng.random() < (0.45 if site.rural else 0.5):
                p.honour = Honour.BACKBONE
                p.honour_level = BackboneLevel.COUNTY if rng.random() < 0.7 else BackboneLevel.CITY
            elif not site.rural and rng.random() < 0.12:
                p.honour, p.honour_level = Honour.FAMOUS_PRINCIPAL, BackboneLevel.CITY
        elif position not in (Position.STAFF,) and 28 <= age <= 56:
            roll = rng.random()
            backbone = 0.15 if not site.rural else 0.1
            if p.researcher or roll < backbone:
                p.honour = Honour.BACKBONE
                p.honour_level = weighted(
                    rng,
                    (
                        (BackboneLevel.COUNTY, 75),
                        (BackboneLevel.CITY, 20),
                        (BackboneLevel.PROVINCE, 5),
                    ),
                )
            elif roll < backbone + 0.012 and age >= 38:
                p.honour = Honour.FAMOUS_TEACHER
                p.honour_level = (
                    BackboneLevel.CITY if rng.random() < 0.8 else BackboneLevel.PROVINCE
                )
            elif roll < backbone + 0.022:
                p.honour, p.honour_level = Honour.SUBJECT_LEADER, BackboneLevel.COUNTY
        p.peripatetic = False
        p.needs_dorm = site.rural and rng.random() < (0.3 if age < 35 else 0.07)
        p.u_dorm, p.u_link, p.u_lesson, p.u_training = (
            rng.random(),
            rng.random(),
            rng.random(),
            rng.random(),
        )
        p.rotation = None  # school year of the last 轮训
        return p

    def _leader_age(self, site, position) -> int:
        rng = self.rng
        # Rural leaders are older than urban ones to begin with (project 20 wants them younger).
        if position in (Position.PRINCIPAL, Position.KG_PRINCIPAL):
            mean = 50 if site.rural else 46
        else:
            mean = 46 if site.rural else 42
        return max(33, min(58, round(rng.gauss(mean, 5.5))))

    def _teacher_age(self, site) -> int:
        rng = self.rng
        if site.rural:
            return max(22, min(59, round(rng.triangular(23, 59, 50))))
        return max(22, min(59, round(rng.triangular(22, 59, 40))))

    def _staff_first_year(self, year: int, counts: dict[int, int]) -> None:
        for site in self.sites:
            for position, number in self._needs(site, counts[site.index]).items():
                for _ in range(number):
                    if position in (*LEADERS, *KG_LEADERS):
                        age = self._leader_age(site, position)
                    else:
                        age = self._teacher_age(site)
                    self.staff.append(self._new_staff(site, year, age, position))
        teachers = sum(1 for p in self.staff if p.position == Position.TEACHER)
        hosts = self.urban_by_role[shape.URBAN_PRIMARY] + self.urban_by_role[shape.URBAN_JUNIOR]
        hosts = hosts or self.legal
        for n in range(max(3, round(teachers / 180))):
            site = hosts[n % len(hosts)]
            self.staff.append(
                self._new_staff(site, year, self.rng.randint(36, 54), Position.RESEARCHER)
            )

    def _turnover(self, year: int, counts: dict[int, int]) -> None:
        rng = self.rng
        kept: list[Staff] = []
        for p in self.staff:
            age = year - p.birth_year
            retire_at = 60 if p.sex == "1" or p.leader or p.researcher else 55
            if age >= retire_at or (p.position == Position.TEACHER and rng.random() < 0.012):
                continue
            kept.append(p)
        self.staff = kept
        by_site: dict[int, list[Staff]] = defaultdict(list)
        for p in self.staff:
            if not p.researcher:
                by_site[p.site.index].append(p)
        renewal = share("leader_renewal", year)
        upgrade_rural, upgrade_urban = (
            share("degree_upgrade_rural", year),
            share("degree_upgrade_urban", year),
        )
        for p in self.staff:
            if p.degree == Degree.COLLEGE and year - p.birth_year < 55:
                if rng.random() < (upgrade_rural if p.site.rural else upgrade_urban):
                    p.degree = Degree.BACHELOR
            elif p.degree == Degree.SECONDARY and rng.random() < share("secondary_upgrade", year):
                p.degree = Degree.COLLEGE
            if p.title in (Title.THIRD, Title.SECOND, Title.FIRST) and rng.random() < 0.06:
                p.title = {
                    Title.THIRD: Title.SECOND,
                    Title.SECOND: Title.FIRST,
                    Title.FIRST: Title.SENIOR,
                }[p.title]
            if (
                p.site.kindergarten and p.site.town.is_town and p.site.ownership == "public"
                and not p.establishment and rng.random() < 0.05
            ):  # fmt: skip
                p.establishment = True
            if not p.honour and p.position == Position.TEACHER and 30 <= year - p.birth_year <= 50:
                if rng.random() < 0.012:
                    p.honour, p.honour_level = Honour.BACKBONE, BackboneLevel.COUNTY
        pool: list[Staff] = []
        for site in self.sites:
            staff = by_site[site.index]
            needs = self._needs(site, counts[site.index])
            # Rural leaders are renewed by younger colleagues (project 20).
            if site.rural and renewal:
                for p in staff:
                    if p.leader and rng.random() < renewal and year - p.birth_year >= 45:
                        p.position = Position.TEACHER
                        p.honour = p.honour if p.honour != Honour.FAMOUS_PRINCIPAL else ""
            teachers = [p for p in staff if p.position == Position.TEACHER]
            surplus = len(teachers) - needs.get(Position.TEACHER, 0)
            if surplus > max(1, needs.get(Position.TEACHER, 0) * 0.12):
                movable = [p for p in teachers if year - p.birth_year < 50]
                rng.shuffle(movable)
                for p in movable[: surplus - 1]:
                    staff.remove(p)
                    pool.append(p)
        pool_by_kind = {
            True: [p for p in pool if p.site.kindergarten],
            False: [p for p in pool if not p.site.kindergarten],
        }
        for site in self.sites:
            staff = by_site[site.index]
            needs = self._needs(site, counts[site.index])
            for position, number in needs.items():
                holders = [p for p in staff if p.position == position]
                for _ in range(number - len(holders)):
                    staff.append(
                        self._fill(site, position, staff, pool_by_kind[site.kindergarten], year)
                    )
        placed = {id(p) for staff in by_site.values() for p in staff}
        researchers = [p for p in self.staff if p.researcher]
        wanted = max(3, round(sum(len(v) for v in by_site.values()) / 200))
        hosts = (
            self.urban_by_role[shape.URBAN_PRIMARY] + self.urban_by_role[shape.URBAN_JUNIOR]
            or self.legal
        )
        while len(researchers) < wanted:
            site = hosts[len(researchers) % len(hosts)]
            researchers.append(
                self._new_staff(site, year, rng.randint(36, 48), Position.RESEARCHER)
            )
        # Teachers left in the transfer pool with nowhere to go stay where they were.
        leftovers = [p for p in pool if id(p) not in placed]
        self.staff = [p for v in by_site.values() for p in v] + leftovers + researchers

    def _fill(self, site, position: str, staff: list[Staff], pool: list[Staff], year: int) -> Staff:
        rng = self.rng
        if position in (*LEADERS, *KG_LEADERS, Position.MIDDLE_MANAGER):
            if site.rural and position in (*LEADERS, *KG_LEADERS):
                low, high = 32, 44
            else:
                low, high = 36, 52
            candidates = [
                p
                for p in staff
                if p.position == Position.TEACHER and low <= year - p.birth_year <= high
            ]
            if candidates:
                p = rng.choice(candidates)
                p.position = position
                if position in (Position.PRINCIPAL, Position.KG_PRINCIPAL) and rng.random() < 0.35:
                    p.honour, p.honour_level = Honour.BACKBONE, BackboneLevel.COUNTY
                # The promoted teacher's post is refilled by the caller's later positions.
                staff.remove(p)
                return p
            age = rng.randint(low, high)
            return self._new_staff(site, year, age, position, hired=year - age + 23)
        if position == Position.TEACHER and pool:
            p = pool.pop()
            p.site = site
            return p
        age = rng.randint(22, 27) if position == Position.TEACHER else rng.randint(25, 50)
        return self._new_staff(site, year, age, position, hired=year)

    # ---------------------------------------------------------------- the year
    def run(self) -> None:
        self.write_structure()
        for year in self.years:
            if year == self.first:
                self._students_first_year(year)
            else:
                self._advance_students(year)
            by_site: dict[int, list[Student]] = defaultdict(list)
            for s in self.students:
                by_site[s.site.index].append(s)
            kg_children = self._kindergarten_children(year)
            counts = {
                site.index: kg_children.get(site.index, 0)
                if site.kindergarten
                else len(by_site[site.index])
                for site in self.sites
            }
            if year == self.first:
                self._staff_first_year(year, counts)
            else:
                self._turnover(year, counts)
            teachers = self._write_posts(year)
            self._write_enrolments(year, by_site, teachers)
            self._write_facilities(year, by_site, counts)
            self._write_villages(year)
            self._activities(year, by_site, teachers)

    def _write_posts(self, year: int) -> dict[int, list[Staff]]:
        rng, t = self.rng, self.t_post
        health_rural, health_urban = (
            share("health_check_rural", year),
            share("health_check_urban", year),
        )
        dormitory, allowance = share("dormitory", year), share("town_allowance", year)
        peripatetic_towns = {
            town for town in self.plan.towns
            if town.is_town and self._town_rank("peripatetic_district", town) < share("peripatetic_district", year)
        }  # fmt: skip
        teachers: dict[int, list[Staff]] = defaultdict(list)
        for p in self.staff:
            site = p.site
            rural = site.rural
            full_time = p.position not in (Position.STAFF, Position.RESEARCHER)
            if full_time:
                teachers[site.index].append(p)
            p.peripatetic = (
                p.subject in PE_ART
                and site.town in peripatetic_towns
                and site.role in CENTRAL_ROLES
            )
            eligible = rural and site.ownership == "public"
            certificate, hours, rotated = self._evaluation_post(p, year)
            t.add((
                self.writer.next_pk(Post), p.pk, site.pk, year, p.position, p.establishment,
                full_time, p.subject, p.degree, p.title, p.honour, p.honour_level, p.researcher,
                p.hired_year, p.bound, p.peripatetic, p.needs_dorm,
                p.needs_dorm and p.u_dorm < dormitory,
                rng.random() < (health_rural if rural else health_urban),
                eligible, eligible and rng.random() < allowance, certificate, hours, rotated,
            ))  # fmt: skip
        return teachers

    def _evaluation_post(self, p: Staff, year: int) -> tuple[bool, int, bool]:
        """教师资格, 5-year training hours and 交流轮岗, from stable per-person draws (the
        simulation's own random stream is left untouched): a teacher who changed school since
        last year moved by 交流轮岗."""
        u = _stable(p.pk)
        certificate = u < (0.9 if p.site.kindergarten else 0.985)
        behind = max(0.05, 0.2 - 0.035 * (year - 2021))  # share short of 360 hours
        hours = 200 + int(_stable(p.pk, 7) * 150) if u < behind else 360 + int(u * 120)
        sites = self.__dict__.setdefault("_post_sites", {})
        moved = sites.get(p.pk, p.site.index) != p.site.index
        sites[p.pk] = p.site.index
        return certificate, hours, moved and p.position == Position.TEACHER

    @staticmethod
    def _evaluation_enrolment(s: Student, site) -> tuple[bool, bool]:
        """就近划片 (all primary entrants, most junior ones) and 随迁子女 (more in town)."""
        nearby = s.grade <= 6 or _stable(s.pk, 3) < 0.97
        migrant = _stable(s.pk, 5) < (0.015 if site.rural else 0.06)
        return nearby, migrant

    def _town_rank(self, feature: str, town: shape.Town) -> float:
        towns = [t for t in self.plan.towns if t.is_town]
        key = f"town:{feature}"
        if key not in self._quantiles:
            rng = random.Random(f"{self.seed}/{self.plan.code}/{key}")
            ordered = sorted(towns, key=lambda t: rng.random() + t.pace)
            self._quantiles[key] = [0.0] * len(self.plan.towns)
            for rank, t in enumerate(ordered):
                self._quantiles[key][t.order] = (rank + 0.5) / len(ordered)
        return self._quantiles[key][town.order]

    def _write_enrolments(self, year, by_site, teachers) -> None:
        rng, t = self.rng, self.t_enrolment
        transport_share, lunch_share, aid_share = (
            share("transport", year),
            share("lunch", year),
            share("aid", year),
        )
        mentor_rural, mentor_urban = share("mentor_rural", year), share("mentor_urban", year)
        for site in self.sites:
            students = by_site[site.index]
            if not students:
                continue
            rural = site.rural
            legal_pk = site.legal.pk
            campus_pk = site.pk if site.is_campus else None
            mentors = [p.pk for p in teachers[site.index]]
            size = 30 if site.role == shape.TEACHING_POINT else (40 if rural else 45)
            position_in_grade: dict[int, int] = defaultdict(int)
            for s in students:
                grade = s.grade
                position_in_grade[grade] += 1
                class_name = f"{(position_in_grade[grade] - 1) // size + 1}班"
                distance = s.distance
                boarding = self._boards(s)
                if boarding:
                    transport = Transport.FAMILY
                elif distance > 2:
                    served = s.u_transport < (transport_share if rural else 0.4)
                    if served:
                        transport = (
                            Transport.SCHOOL_BUS
                            if rural and s.u_transport < 0.7 * transport_share
                            else Transport.PUBLIC_BUS
                        )
                    else:
                        transport = Transport.FAMILY if s.u_board < 0.7 else Transport.WALK
                else:
                    transport = Transport.WALK if s.u_board < 0.6 else Transport.FAMILY
                lunch_needed = boarding or rng.random() < (
                    (0.8 if distance > 1.5 else 0.25) if rural else 0.3
                )
                lunch_served = lunch_needed and (not rural or rng.random() < lunch_share)
                if s.u_mentor < (mentor_rural if rural else mentor_urban) and mentors:
                    if s.mentor not in mentors:
                        s.mentor = rng.choice(mentors)
                else:
                    s.mentor = None
                priority = (
                    s.orphan
                    or s.unattended
                    or s.hardship
                    or s.disability
                    or s.left_behind
                    or s.family_status
                )
                aid = rng.random() < aid_share if priority else rng.random() < 0.02
                t.add((
                    self.writer.next_pk(Enrolment), s.pk, legal_pk, campus_pk, year, grade, class_name,
                    boarding, distance, transport, lunch_needed, lunch_served, s.left_behind,
                    s.disability, s.placement, s.orphan, s.unattended, s.hardship, s.family_status,
                    s.struggling, aid, s.mentor, *self._evaluation_enrolment(s, site),
                ))  # fmt: skip
