"""Every registered importer, run through the whole pipeline as every role, with rows that
reach outside the role's scope: the file is refused, nothing stored changes anywhere, and
no message tells the uploader who or where a person is."""

import datetime as dt
import io

import openpyxl
import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.orgunits.choices import OrgUnitKind, SchoolStage
from ruraledu.orgunits.models import SchoolDistrict
from ruraledu.orgunits.tests.factories import OrgUnitFactory, SchoolFactory
from ruraledu.spreadsheets.base import IMPORTERS
from ruraledu.spreadsheets.services import ImportRejected, import_run
from ruraledu.spreadsheets.testing import new_id
from ruraledu.spreadsheets.xlsx_template import write_template
from ruraledu.students.models import Enrolment, StudentPerson
from ruraledu.workforce.models import Post, StaffPerson

YEAR = 2024
DAY = dt.date(2024, 10, 8)
OUTSIDE_TEACHER = new_id(dt.date(1980, 2, 3))  # posted at SB this year
INSIDE_TEACHER = new_id(dt.date(1981, 4, 5))  # posted at SA this year
OUTSIDE_PUPIL = new_id()  # enrolled at SB this year
INSIDE_PUPIL = new_id()  # enrolled at SA this year
UNKNOWN = new_id(dt.date(1979, 1, 1))  # on no roster

ROLES = {
    "district_leader": (Role.DISTRICT_LEADER, "district"),
    "department_reporter": (Role.DEPARTMENT_REPORTER, "department"),
    "town_officer": (Role.TOWN_OFFICER, "town_a"),
    "school_clerk": (Role.SCHOOL_CLERK, "school_a"),
    "inspector": (Role.INSPECTOR, "school_a"),
    "researcher": (Role.RESEARCHER, "school_a"),
}


def kind_rows(*, person, pupil, school, town, village, zone, unit) -> dict[str, dict]:
    """One row per registered kind, naming the given staff member, pupil, school, town,
    village and 学区; `unit` is the school code the school list writes (under SA)."""
    return {
        "schools": {
            "code": unit,
            "name": "被改名的学校",
            "parent": "SA",
            "stage": "211",
            "ownership": "public",
            "urban_rural_code": "220",
            "campus_type": "branch",
        },
        "facilities": {"school": school, "books": 1},
        "titles": {"school": school, "kind": "green", "level": "1", "awarded_year": 2024},
        "kg_classes": {"school": f"K{school}", "level": "small", "classes": 1, "children": 20},
        "villages": {"village": village, "preschool_population": 99},
        "staff": {
            "id_number": person,
            "name": "被改名",
            "sex": "1",
            "school": "SA",
            "position": "teacher",
            "degree": "2",
        },
        "students": {"id_number": pupil, "name": "被改名", "sex": "1", "school": "SA", "grade": 3},
        "observations": {"person": person, "school": "SA", "held_on": DAY},
        "lessons": {"person": person, "school": "SA", "held_on": DAY, "kind": "public"},
        "trainings": {
            "person": person,
            "level": "county",
            "kind": "topic",
            "cycle": "2023-2025",
            "held_on": DAY,
        },
        "interns": {"school": school, "name": "实习生", "university": "某大学", "started_on": DAY},
        "nominations": {"person": person, "programme": "young_teacher", "level": "county"},
        "courses": {"school": school, "name": "剪纸"},
        "school_links": {"person": person, "school": "SA"},
        "bases": {"school": school, "partner": "某大学", "kind": "research", "founded_year": 2020},
        "district_roles": {"school_district": zone, "person": INSIDE_TEACHER, "role": "director"},
        "studios": {
            "name": f"{town}名师工作室",
            "host": person,
            "level": "county",
            "town": town,
            "founded_year": 2022,
        },
        "pilots": {"town": town, "level": "county", "started_year": 2024},
        "trips": {"school": "SA", "held_on": DAY, "title": "研学", "student": pupil},
        # the partner lists of 四查三比对: the bureau and the supplying department only
        **{
            f"care_{kind}": {"id_number": pupil, "name": "儿童", "village": village}
            for kind in ("household", "disabled", "orphan", "unattended", "hardship")
        },
        "care_poverty": {
            "id_number": pupil,
            "name": "儿童",
            "village": village,
            "family": "脱贫享受政策家庭",
        },
        "aid_grants": {
            "id_number": pupil,
            "name": "甲镇学生",
            "school": school,
            "aid_kind": "living",
            "semester": "第一学期（秋季）",
            "amount": 500,
        },
        "births": {"village": village, "birth_year": 2018, "births": 12},
    }


def out_of_scope_rows(person: str = OUTSIDE_TEACHER) -> dict[str, dict]:
    """Rows that reach town B: an existing school of town B, its 学区, village, staff, pupil."""
    return kind_rows(
        person=person,
        pupil=OUTSIDE_PUPIL,
        school="SB",
        town="TB",
        village="VB",
        zone="乙学区",
        unit="SB",
    )


def in_scope_rows() -> dict[str, dict]:
    """The same rows within town A: a town A officer may import every one of them, except
    the partner lists, which no town office imports."""
    rows = kind_rows(
        person=INSIDE_TEACHER,
        pupil=INSIDE_PUPIL,
        school="SA",
        town="TA",
        village="VA",
        zone="甲学区",
        unit="SA9",
    )
    return {kind: row for kind, row in rows.items() if not kind.startswith("care_")}


def workbook(kind: str, row: dict) -> bytes:
    """The kind's template with one data row (row 3), filled in by column key."""
    spec = IMPORTERS[kind].spec
    stream = io.BytesIO()
    write_template(spec, stream)
    book = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    sheet = book[spec.title]
    for index, col in enumerate(spec.columns, start=1):
        if col.key in row:
            sheet.cell(row=3, column=index, value=row[col.key])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored_state() -> dict:
    """Every row of every registry table, to prove an import changed nothing."""
    labels = ("orgunits", "facilities", "workforce", "students", "activities", "aid", "forecast")
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }


@pytest.fixture
def world(district, town_a, town_b, school_a, school_b, department):
    OrgUnitFactory(code="VA", name="甲村", kind=OrgUnitKind.VILLAGE, parent=town_a)
    OrgUnitFactory(code="VB", name="乙村", kind=OrgUnitKind.VILLAGE, parent=town_b)
    for town in (town_a, town_b):  # kindergartens KSA and KSB
        code = f"KS{town.code[-1]}"
        SchoolFactory(org_unit__code=code, org_unit__parent=town, stage=SchoolStage.KINDERGARTEN)
    SchoolDistrict.objects.create(name="甲学区", town=town_a)
    SchoolDistrict.objects.create(name="乙学区", town=town_b)
    for number, school in ((OUTSIDE_TEACHER, school_b), (INSIDE_TEACHER, school_a)):
        teacher = StaffPerson(name="教师", sex="1")
        teacher.set_id_number(number)
        teacher.save()
        Post.objects.create(person=teacher, school=school, year=YEAR, degree="2")
    for number, name, school in (
        (OUTSIDE_PUPIL, "乙镇学生", school_b),
        (INSIDE_PUPIL, "甲镇学生", school_a),
    ):
        pupil = StudentPerson(name=name, sex="2")
        pupil.set_id_number(number)
        pupil.save()
        Enrolment.objects.create(person=pupil, school=school, year=YEAR, grade=3)
    places = {
        "district": {"org_unit": district},
        "town_a": {"org_unit": town_a},
        "school_a": {"org_unit": school_a.org_unit},
        "department": {"department": department},
    }
    users = {}
    for name, (role, place) in ROLES.items():
        users[name] = UserFactory(username=name)
        RoleAssignmentFactory(user=users[name], role=role, **places[place])
    return users


def attempt(kind: str, row: dict, user) -> list[str]:
    """Import one row; the messages of the refusal (the import must not succeed)."""
    try:
        import_run(kind=kind, data=workbook(kind, row), filename="x.xlsx", year=YEAR, user=user)
    except ImportRejected as refused:
        return [e.message for e in refused.errors]
    except PermissionDenied as denied:
        return [str(denied)]
    pytest.fail(f"{kind}: an out-of-scope row was imported by {user.username}")


def test_the_matrix_covers_every_registered_importer():
    # the apps' importers; this package's tests register a throwaway one of their own
    apps = {kind for kind, cls in IMPORTERS.items() if ".tests." not in cls.__module__}
    assert set(out_of_scope_rows()) == apps


@pytest.mark.parametrize("kind", sorted(in_scope_rows()))
def test_the_same_rows_within_scope_are_imported(world, kind):
    # the refusals below are about scope: the rows themselves are good ones
    before = stored_state()
    import_run(
        kind=kind,
        data=workbook(kind, in_scope_rows()[kind]),
        filename="x.xlsx",
        year=YEAR,
        user=world["town_officer"],
    )
    assert stored_state() != before


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("kind", sorted(out_of_scope_rows()))
def test_no_role_changes_anything_outside_its_scope_through_an_import(world, role, kind):
    # given a row of this kind that reaches town B
    row = out_of_scope_rows()[kind]
    before = stored_state()
    # when a user without rights there imports it
    messages = attempt(kind, row, world[role])
    # then the file is refused, nothing changed, and no message says where anyone is
    assert messages
    assert stored_state() == before
    for message in messages:
        assert not any(word in message for word in ("SB", "乙", "TB", "VB"))


@pytest.mark.parametrize("role", ["town_officer", "school_clerk", "department_reporter"])
@pytest.mark.parametrize(
    "kind",
    ["observations", "lessons", "trainings", "nominations", "school_links", "studios"],
)
def test_person_messages_are_the_same_for_unknown_and_out_of_scope_people(world, role, kind):
    out_of_scope = attempt(kind, out_of_scope_rows()[kind], world[role])
    unknown = attempt(kind, out_of_scope_rows(UNKNOWN)[kind], world[role])
    assert out_of_scope == unknown


@pytest.mark.parametrize("role", ["town_officer", "school_clerk"])
def test_trip_pupils_of_other_schools_read_like_unknown_pupils(world, role):
    row = out_of_scope_rows()["trips"]
    assert attempt("trips", row, world[role]) == attempt(
        "trips", {**row, "student": new_id()}, world[role]
    )


@pytest.mark.parametrize("role", ["town_officer", "school_clerk"])
def test_an_existing_school_out_of_scope_cannot_be_renamed_in_place(world, role):
    row = {**out_of_scope_rows()["schools"], "parent": "TB", "campus_type": None}
    before = stored_state()
    assert attempt("schools", row, world[role]) == ["无权修改该学校（不在您的管辖范围内）"]
    assert stored_state() == before


def test_only_the_bureau_moves_a_school_to_another_town(world, district_admin, school_a):
    row = {**in_scope_rows()["schools"], "code": "SA", "parent": "TB", "campus_type": None}
    assert attempt("schools", row, world["town_officer"]) == [
        "调整学校或校区的隶属关系只能由区教体局办理"
    ]
    import_run(
        kind="schools",
        data=workbook("schools", row),
        filename="x.xlsx",
        year=YEAR,
        user=district_admin,
    )
    school_a.org_unit.refresh_from_db()
    assert school_a.org_unit.path.split("/")[-3] == "TB"


def test_a_clerk_is_told_to_ask_the_bureau_for_a_transfer_without_learning_where(world):
    row = out_of_scope_rows()["students"]
    assert attempt("students", row, world["school_clerk"]) == [
        "该证件号已在其他学校登记，请在“学生转学”页面申请转入，或联系区教体局"
    ]
    assert Enrolment.objects.get(person__name="乙镇学生").school.org_unit.code == "SB"
