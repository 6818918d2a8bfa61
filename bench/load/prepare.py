"""Load test set-up, run inside Django against the scratch database (not timed): one school
clerk account for each uploading school, signed-in sessions for every simulated user, each
school's roster file, and the pages each role reads. Writes the plan as JSON.

    python bench/load/prepare.py PLAN.json FOLDER --readers 200 --schools 50 --new-rows 20

Uploads are what a clerk does on deadline day: export the school's roster for the year being
collected, correct some rows, add the newly enrolled pupils, upload the whole file.
"""

import argparse
import datetime as dt
import json
import random
import sys
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db.models import Count  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from ruraledu.accounts.choices import Role  # noqa: E402
from ruraledu.accounts.models import RoleAssignment, User  # noqa: E402
from ruraledu.accounts.twofactor import needs_two_factor  # noqa: E402
from ruraledu.core.idnumbers import make_resident_id  # noqa: E402
from ruraledu.core.schoolyear import collecting_school_year  # noqa: E402
from ruraledu.indicators.drilldown import drill_parts  # noqa: E402
from ruraledu.indicators.models import IndicatorValue  # noqa: E402
from ruraledu.indicators.selectors import indicator_get  # noqa: E402
from ruraledu.orgunits.choices import OrgUnitKind  # noqa: E402
from ruraledu.orgunits.models import OrgUnit  # noqa: E402
from ruraledu.plans.models import Project, Target  # noqa: E402
from ruraledu.spreadsheets.export import export_xlsx  # noqa: E402
from ruraledu.spreadsheets.importing import pks_by_id_number  # noqa: E402
from ruraledu.students.imports import SPEC, StudentImporter  # noqa: E402
from ruraledu.students.models import Enrolment, StudentPerson  # noqa: E402

# how many of the simulated readers sign in as each demo account (sums to 200 at --readers 200)
ROLE_MIX = {
    "leader": 40,
    "admin": 30,
    "dept": 25,
    "town": 40,
    "clerk": 30,
    "inspector": 20,
    "researcher": 15,
}
CLERK_PREFIX = "loadclerk-"
NEW_ID_REGION = "370399"  # not a region the demo generator uses: new pupils are new people


def session_cookie(user: User) -> str:
    """A signed-in session as the login view leaves it (second factor passed where needed):
    logging in is not what the deadline afternoon is about, and 250 password hashes would be."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if needs_two_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key


def units_of(username: str) -> list[OrgUnit]:
    return [
        a.org_unit
        for a in RoleAssignment.objects.filter(user__username=username, org_unit__isnull=False)
        .select_related("org_unit")
        .order_by("org_unit__code")
    ]


def schools_under(unit: OrgUnit) -> list[str]:
    return list(
        OrgUnit.objects.filter(path__startswith=unit.path, kind=OrgUnitKind.SCHOOL)
        .order_by("code")
        .values_list("code", flat=True)
    )


def pages(year: int) -> dict[str, list[str]]:
    """The pages each demo role reads, weighted by repetition (dashboards more than lists)."""
    district = OrgUnit.objects.get(parent=None, code=settings.PLAN_DISTRICT_CODE)
    towns = list(
        district.children.filter(kind=OrgUnitKind.TOWN)
        .order_by("code")
        .values_list("code", flat=True)
    )
    projects = list(Project.objects.order_by("number").values_list("number", flat=True))
    targets = list(Target.objects.order_by("code").values_list("code", flat=True))
    indicators = sorted(set(IndicatorValue.objects.values_list("code", flat=True)))
    # the drill-down (records) page exists for the indicators that have parts to list
    drillable = [c for c in indicators if drill_parts(indicator_get(c))]
    all_schools = schools_under(district)
    rng = random.Random(5)
    sample = rng.sample

    def indicator_pages(unit_codes: list[str], n: int) -> list[str]:
        out = []
        for code in sample(indicators, min(n, len(indicators))):
            out.append(f"/indicators/{code}/")
            out.append(f"/indicators/{code}/?unit={rng.choice(unit_codes)}")
        for code in sample(drillable, min(n, len(drillable))):
            unit = rng.choice(unit_codes)
            out.append(f"/indicators/{code}/records/?unit={unit}&year={year}")
        return out

    district_reads = (
        ["/"] * 6
        + ["/plan/", "/yzjh/", "/indicators/"]
        + [f"/plan/projects/{n}/" for n in projects]
        + [f"/indicators/targets/{c}/" for c in sample(targets, min(25, len(targets)))]
        + indicator_pages(towns + sample(all_schools, 10), 25)
        + [f"/units/{c}/profile/" for c in towns + sample(all_schools, 30)]
        + [f"/org/units/{c}/" for c in towns]
    )
    town = units_of("town")[0]
    town_schools = schools_under(town)
    clerk_school = units_of("clerk")[0].code
    inspected = [u.code for u in units_of("inspector")]
    researched = [u.code for u in units_of("researcher")]
    return {
        "leader": district_reads,
        "admin": district_reads
        + ["/reporting/review/", "/spreadsheets/", "/school-years/", "/supervision/overview/"] * 3,
        "dept": ["/"] * 4
        + ["/plan/", "/plan/departments/", "/reporting/my/", "/reporting/my/"]
        + [f"/plan/projects/{n}/" for n in projects]
        + [f"/indicators/targets/{c}/" for c in sample(targets, min(15, len(targets)))],
        "town": ["/"] * 4
        + [f"/units/{town.code}/profile/"] * 4
        + [f"/units/{c}/profile/" for c in town_schools]
        + [f"/org/units/{c}/" for c in [town.code, *town_schools]]
        + [f"/students/schools/{c}/" for c in town_schools[:5]]
        + indicator_pages([town.code, *town_schools], 10)
        + ["/supervision/", "/supervision/items/"],
        "clerk": ["/"] * 3
        + [f"/units/{clerk_school}/profile/"] * 4
        + [f"/students/schools/{clerk_school}/"] * 3
        + [f"/org/units/{clerk_school}/", "/spreadsheets/", "/school-years/", "/reporting/my/"]
        + indicator_pages([clerk_school], 5),
        "inspector": ["/", "/supervision/", "/supervision/", "/supervision/items/"]
        + [f"/units/{c}/profile/" for c in inspected] * 2,
        "researcher": ["/", "/supervision/", "/supervision/", "/supervision/lessons/"]
        + [f"/units/{c}/profile/" for c in researched] * 2,
        # the uploading clerks between uploads: their own school (filled in per school)
        "uploader": [
            "/",
            "/spreadsheets/",
            "/units/{school}/profile/",
            "/students/schools/{school}/",
        ],
    }


def clerk_for(school: OrgUnit) -> User:
    user, created = User.objects.get_or_create(
        username=f"{CLERK_PREFIX}{school.code}",
        defaults={"full_name": f"{school.name}填报员（测试）", "must_change_password": False},
    )
    if created:
        user.set_unusable_password()  # signs in only through the prepared session
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.SCHOOL_CLERK, org_unit=school)
    return user


def roster(school: OrgUnit, clerk: User, year: int, new_rows: int, first_sequence: int):
    """The school's exported roster with every 10th pupil moved to another class and
    `new_rows` new pupils; returns (file bytes, expected counts, checks)."""
    rows = list(StudentImporter().export_rows(year=year, user=clerk))
    moved = {}
    for i, row in enumerate(rows):
        if i % 10 == 0:
            row["class_name"] = f"{row['class_name'] or ''}调".strip()[-20:]
            moved[row["id_number"]] = row["class_name"]
    new_ids = []
    template = rows[0] if rows else {}
    first_grade = min((r["grade"] for r in rows), default=1)  # the school's entry grade
    for k in range(new_rows):
        birth = dt.date(2018, 1, 1) + dt.timedelta(days=first_sequence + k)
        number = make_resident_id(NEW_ID_REGION, birth, (first_sequence + k) % 1000)
        new_ids.append(number)
        rows.append(
            {
                **{key: None for key in template},
                "id_number": number,
                "name": f"新生{first_sequence + k}",
                "sex": "1" if k % 2 else "2",
                "school": school.code,
                "grade": first_grade,
                "class_name": "新生班",
            }
        )
    taken = pks_by_id_number(StudentPerson, new_ids)
    if taken:
        raise SystemExit(f"新生证件号与已有记录重复：{len(taken)} 个")
    import io

    stream = io.BytesIO()
    export_xlsx(SPEC.columns, rows, stream, SPEC.title)
    expect = {
        "rows": len(rows),
        "created": new_rows,
        "updated": len(moved),
        "unchanged": len(rows) - new_rows - len(moved),
        "enrolments_before": Enrolment.objects.filter(school__org_unit=school, year=year).count(),
    }
    return stream.getvalue(), expect, {"new_ids": new_ids, "moved": moved}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("plan")
    parser.add_argument("folder")
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--new-rows", type=int, default=20)
    args = parser.parse_args()
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    year = collecting_school_year()
    role_pages = pages(year)

    total = sum(ROLE_MIX.values())
    readers = []
    for username, share in ROLE_MIX.items():
        user = User.objects.get(username=username)
        user.must_change_password = False  # long since changed
        user.save(update_fields=["must_change_password"])
        for _ in range(round(args.readers * share / total)):
            readers.append({"role": username, "session": session_cookie(user)})

    # the schools with the most pupils this year: the biggest files of the afternoon
    busiest = (
        Enrolment.objects.filter(year=year, school__org_unit__kind=OrgUnitKind.SCHOOL)
        .values("school__org_unit")
        .annotate(n=Count("pk"))
        .order_by("-n", "school__org_unit")[: args.schools]
    )
    uploads = []
    checks = {}
    for i, entry in enumerate(busiest):
        school = OrgUnit.objects.get(pk=entry["school__org_unit"])
        clerk = clerk_for(school)
        data, expect, check = roster(school, clerk, year, args.new_rows, i * args.new_rows)
        path = folder / f"roster-{school.code}.xlsx"
        path.write_bytes(data)
        uploads.append(
            {
                "school": school.code,
                "username": clerk.username,
                "session": session_cookie(clerk),
                "file": str(path),
                "expect": expect,
            }
        )
        checks[clerk.username] = {"school": school.code, **check}
    (folder / "checks.json").write_text(json.dumps(checks, ensure_ascii=False))
    Path(args.plan).write_text(
        json.dumps(
            {
                "year": year,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "pages": role_pages,
                "readers": readers,
                "uploads": uploads,
            },
            ensure_ascii=False,
        )
    )
    sizes = [u["expect"]["rows"] for u in uploads]
    print(
        f"prepared {len(readers)} readers, {len(uploads)} uploads for {year} "
        f"({min(sizes)}–{max(sizes)} rows, {sum(sizes)} in all)"
    )


if __name__ == "__main__":
    main()
