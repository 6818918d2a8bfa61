"""The import of aid granted (the 资助 system's export): all-or-nothing, repeatable, scoped to
the importer's schools, every problem named by sheet, row and column in Chinese."""

from decimal import Decimal

import pytest

from ruraledu.audit.models import AuditEvent
from ruraledu.spreadsheets.services import ImportRejected, import_run
from ruraledu.spreadsheets.testing import new_id

from ..models import AidGrant
from .conftest import YEAR, enrol, workbook

LIVING = "义务教育家庭经济困难学生生活补助"


def run(user, *rows):
    return import_run(
        kind="aid_grants", data=workbook(*rows), filename="资助.xlsx", year=YEAR, user=user
    )


def refused(user, *rows) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        run(user, *rows)
    return [str(e) for e in caught.value.errors]


def row(person, school="SA", kind=LIVING, semester="第一学期（秋季）", amount=500, name=None):
    return {
        "id_number": person.number,
        "name": name or person.name,
        "school": school,
        "aid_kind": kind,
        "semester": semester,
        "amount": amount,
    }


@pytest.fixture
def orphan(school_a):
    return enrol(school_a, "王小红", orphan=True)


@pytest.fixture
def left_behind(school_a):
    return enrol(school_a, "李小刚", left_behind=True)


def test_a_good_file_is_stored_and_audited(school_clerk, orphan, left_behind):
    # when
    result = run(
        school_clerk,
        row(orphan),
        row(left_behind, kind="living", semester="第二学期（春季）", amount=625.5),
    )
    # then
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    first = AidGrant.objects.get(person=orphan)
    assert (first.year, first.semester, first.kind.code, first.amount) == (
        YEAR,
        1,
        "living",
        Decimal("500.00"),
    )
    assert first.unit_id == first.school_id
    assert AidGrant.objects.get(person=left_behind).amount == Decimal("625.50")
    # the import's audit row lists the grants it created
    event = AuditEvent.objects.get(action="import", summary__contains="资助发放记录")
    pks = sorted(AidGrant.objects.values_list("pk", flat=True))
    assert event.after["created_records"] == {"aid.AidGrant": [[pks[0], pks[-1]]]}


def test_a_repeated_file_changes_nothing_and_a_changed_amount_updates(school_clerk, orphan):
    run(school_clerk, row(orphan))
    again = run(school_clerk, row(orphan))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = run(school_clerk, row(orphan, amount=450))
    assert (changed.created, changed.updated) == (0, 1)
    assert AidGrant.objects.get().amount == Decimal("450.00")
    update = AuditEvent.objects.get(action="update", content_type__model="aidgrant")
    assert (update.before, update.after) == ({"amount": "500"}, {"amount": "450"})


def test_bad_rows_are_all_listed_and_nothing_is_written(school_clerk, orphan, left_behind):
    # given a file with one good row and five bad ones
    rows = [
        row(orphan),  # row 3: good
        row(left_behind, kind="助学券"),  # row 4
        row(left_behind, name="李小钢"),  # row 5
        {**row(left_behind), "id_number": new_id()},  # row 6: nobody's
        row(orphan),  # row 7: the same as row 3
        row(left_behind, amount=0),  # row 8
    ]
    # when
    messages = refused(school_clerk, *rows)
    # then
    assert any(
        m.startswith("工作表“资助发放记录”第 4 行“资助项目”列") and "资助项目不存在" in m
        for m in messages
    )
    assert any("第 5 行“姓名”列" in m and "姓名与学籍登记的姓名不一致" in m for m in messages)
    assert any("第 6 行“身份证号”列" in m and "不在您管辖学校本学年的学籍中" in m for m in messages)
    assert any("第 7 行" in m and "与第 3 行重复" in m for m in messages)
    assert any("第 8 行“金额（元）”列" in m for m in messages)
    assert AidGrant.objects.count() == 0


def test_rows_outside_the_importers_schools_are_refused(outsider, school_b, orphan):
    # given a clerk of school B importing a grant of school A's pupil, paid by school A
    messages = refused(outsider, row(orphan))
    # then the school and the child are both refused, the child as if unknown
    assert any("“学校代码”列" in m and "不在您的管辖范围内" in m for m in messages)
    assert any("“身份证号”列" in m and "不在您管辖学校本学年的学籍中" in m for m in messages)
    assert AidGrant.objects.count() == 0


def test_a_child_of_another_school_reads_like_an_unknown_id_number(outsider, school_b, orphan):
    unknown = enrol(school_b, "陈某")
    unknown.number = new_id()  # on no roster
    as_other = refused(outsider, row(orphan, school="SB"))
    as_unknown = refused(outsider, row(unknown, school="SB", name=orphan.name))
    assert [m.replace(orphan.number, "") for m in as_other] == [
        m.replace(unknown.number, "") for m in as_unknown
    ]


def test_roles_without_care_work_may_not_import(district_leader, department_reporter, orphan):
    from django.core.exceptions import PermissionDenied

    # the upload itself needs care work (CARE), which a department's CHANGE is not
    for user in (district_leader, department_reporter):
        with pytest.raises(PermissionDenied):
            run(user, row(orphan))
    assert AidGrant.objects.count() == 0


def test_the_bureau_imports_for_every_school(district_admin, orphan, school_b):
    other = enrol(school_b, "赵小军", disability=True)
    result = run(district_admin, row(orphan), row(other, school="SB"))
    assert result.created == 2


def test_the_school_aid_officer_imports_its_own_schools_grants(care_officer, orphan, school_b):
    # when the officer (CARE on school A only, no CHANGE) imports school A's grant
    result = run(care_officer, row(orphan))
    # then it is stored
    assert result.created == 1
    assert AidGrant.objects.get().person == orphan
    # but a row of school B is refused and nothing more is written
    other = enrol(school_b, "赵小军", orphan=True)
    messages = refused(care_officer, row(orphan), row(other, school="SB"))
    assert any("“学校代码”列" in m and "不在您的管辖范围内" in m for m in messages)
    assert AidGrant.objects.count() == 1


def test_the_school_aid_officer_may_upload_grants_but_no_other_kind(client, care_officer):
    from django.core.exceptions import PermissionDenied

    # given
    client.force_login(care_officer)
    # then the grant upload page opens and the list offers that upload only
    assert client.get("/spreadsheets/kinds/aid_grants/upload/").status_code == 200
    listing = client.get("/spreadsheets/")
    assert listing.context["uploadable"] == {"aid_grants"}
    # while a registry import stays closed to the role
    assert client.get("/spreadsheets/kinds/students/upload/").status_code == 403
    with pytest.raises(PermissionDenied):
        import_run(kind="students", data=b"", filename="x.xlsx", year=YEAR, user=care_officer)
