"""Reads for 走教: the areas (学区, or towns where no 学区 exists), classes per school from the
roster, and the teachers of scarce subjects with their spare weekly lessons."""

import math
from collections import Counter, defaultdict

from django.db.models import Q

from ruraledu.orgunits.choices import COMPULSORY_STAGES, OrgUnitKind
from ruraledu.orgunits.models import OrgUnit, School, SchoolDistrict
from ruraledu.students.models import Enrolment
from ruraledu.workforce.choices import Subject
from ruraledu.workforce.models import Post

SCARCE = {
    Subject.MUSIC: "音乐",
    Subject.ART: "美术",
    Subject.PE: "体育",
    Subject.ENGLISH: "英语",
    Subject.IT: "信息技术",
}
# weekly lessons per class (editable) and the first grade that has the subject
HOURS = {"music": 2, "art": 2, "pe": 3, "english": 2, "it": 1}
FROM_GRADE = {"music": 1, "art": 1, "pe": 1, "english": 3, "it": 3}
CLASS_SIZE = 45  # a grade without class names is split into classes of this size


def areas(units=None) -> list[tuple[str, str]]:
    """("d<pk>", 学区 name) for every 学区, then ("t<pk>", town name) for towns without one;
    given `units` (districts), those within them only."""
    districts, towns = SchoolDistrict.objects.all(), OrgUnit.objects.all()
    if units is not None:
        within = Q(pk__in=[])  # no district, no area
        for unit in units:
            within |= Q(path__startswith=unit.path)
        towns = towns.filter(within)
        districts = districts.filter(town__in=towns)
    found = [(f"d{d.pk}", d.name) for d in districts.order_by("name")]
    covered = set(SchoolDistrict.objects.values_list("town_id", flat=True))
    towns = towns.filter(
        kind__in=[OrgUnitKind.TOWN, OrgUnitKind.SUBDISTRICT, OrgUnitKind.ZONE]
    ).exclude(pk__in=covered)
    found += [(f"t{t.pk}", t.name) for t in towns.order_by("path")]
    return found


def area_schools(area: str):
    schools = School.objects.filter(
        org_unit__kind=OrgUnitKind.SCHOOL, stage__in=COMPULSORY_STAGES, org_unit__is_active=True
    ).select_related("org_unit")
    if area.startswith("d"):
        return schools.filter(school_district_id=int(area[1:]))
    town = OrgUnit.objects.filter(pk=int(area[1:])).first()
    if town is None:
        return schools.none()
    return schools.filter(org_unit__path__startswith=town.path)


def classes_by_grade(units: list[int], year: int) -> dict[int, Counter]:
    """Per school: grade -> classes (named classes counted; unnamed pupils in classes of 45)."""
    named, unnamed = defaultdict(set), Counter()
    rows = Enrolment.objects.filter(school_id__in=units, year=year).values_list(
        "school_id", "grade", "class_name"
    )
    for unit, grade, name in rows:
        if name:
            named[(unit, grade)].add(name)
        else:
            unnamed[(unit, grade)] += 1
    result = defaultdict(Counter)
    for (unit, grade), names in named.items():
        result[unit][grade] += len(names)
    for (unit, grade), pupils in unnamed.items():
        result[unit][grade] += math.ceil(pupils / CLASS_SIZE)
    return result


def area_problem(area: str, year: int, hours: dict, weekly_max: int) -> tuple[list, list]:
    """Schools with the lessons they lack per scarce subject, and teachers with spare lessons."""
    schools = list(area_schools(area))
    units = [s.pk for s in schools]
    classes = classes_by_grade(units, year)
    load = {
        unit: {
            subject: sum(n for g, n in classes[unit].items() if g >= FROM_GRADE[subject])
            * hours[subject]
            for subject in SCARCE
        }
        for unit in units
    }
    posts = Post.objects.filter(
        year=year, school_id__in=units, subject__in=list(SCARCE), is_full_time_teacher=True
    ).select_related("person")
    staff = defaultdict(list)
    for post in posts.order_by("school_id", "person__name", "pk"):
        staff[(post.school_id, post.subject)].append(post)
    teachers = []
    for (unit, subject), group in staff.items():
        home_share = load[unit][subject] / len(group)
        for post in group:
            spare = max(0, weekly_max - math.ceil(home_share))
            if spare:
                teachers.append(
                    {
                        "id": post.person_id,
                        "name": post.person.name,
                        "subject": str(subject),
                        "home": unit,
                        "spare": spare,
                    }
                )
    rows = [
        {
            "unit": s.pk,
            "code": s.org_unit.code,
            "name": s.org_unit.name,
            "needs": {
                str(subject): load[s.pk][subject]
                for subject in SCARCE
                if not staff.get((s.pk, subject)) and load[s.pk][subject]
            },
        }
        for s in sorted(schools, key=lambda s: s.org_unit.code)
    ]
    return rows, teachers


def largest_area() -> tuple[str, str] | None:
    """The area with the most compulsory schools (ties: the first listed)."""
    best, size = None, 0
    for key, name in areas():
        count = area_schools(key).count()
        if count > size:
            best, size = (key, name), count
    return best
