"""The births list import: all or nothing, errors by sheet/row/column, repeatable, scoped."""

from ruraledu.forecast.models import BirthRecord
from ruraledu.spreadsheets.tests.files import import_file, refusal, sheet, template_file

TITLE = "村居出生人口"


def test_it_imports_births_and_a_repeat_changes_nothing(district_admin, village_a):
    # given
    data = template_file(
        "births",
        {"village": "VA", "birth_year": 2019, "births": 31},
        {"village": "VA", "birth_year": 2020, "births": 27},
    )

    # when imported twice
    first = import_file("births", data, district_admin)
    second = import_file("births", data, district_admin)

    # then
    assert (first.created, first.updated) == (2, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert sorted(BirthRecord.objects.values_list("birth_year", "births")) == [
        (2019, 31),
        (2020, 27),
    ]


def test_a_corrected_list_updates_the_count(district_admin, village_a):
    import_file(
        "births",
        template_file("births", {"village": "VA", "birth_year": 2019, "births": 31}),
        district_admin,
    )
    result = import_file(
        "births",
        template_file("births", {"village": "VA", "birth_year": 2019, "births": 29}),
        district_admin,
    )
    assert result.updated == 1
    assert BirthRecord.objects.get().births == 29


def test_it_refuses_the_whole_file_naming_each_bad_cell(district_admin, village_a):
    # given one good row and four bad ones
    data = template_file(
        "births",
        {"village": "VA", "birth_year": 2019, "births": 31},
        {"village": "NOPE", "birth_year": 2019, "births": 5},
        {"village": "VA", "birth_year": 2999, "births": 5},
        {"village": "VA", "birth_year": 2020, "births": -3},
        {"village": "VA", "birth_year": 2019, "births": 30},
    )

    # when
    messages = refusal("births", data, district_admin)

    # then every problem is named, and nothing is written
    assert sheet(TITLE, 4, "村居代码", "NOPE", "村居代码不存在") in messages
    assert any(m.startswith(f"工作表“{TITLE}”第 5 行“出生年份”列") for m in messages)
    assert any(m.startswith(f"工作表“{TITLE}”第 6 行“出生人数”列") for m in messages)
    assert f"工作表“{TITLE}”第 7 行：同一记录在文件中出现两次（与第 3 行重复）" in messages
    assert len(messages) == 4
    assert not BirthRecord.objects.exists()


def test_a_town_cannot_import_another_towns_villages(town_officer, village_a, village_b):
    data = template_file(
        "births",
        {"village": "VA", "birth_year": 2019, "births": 31},
        {"village": "VB", "birth_year": 2019, "births": 12},
    )
    messages = refusal("births", data, town_officer)
    assert messages == [
        sheet(TITLE, 4, "村居代码", "VB", "无权导入该村居的数据（不在您的管辖范围内）")
    ]
    assert not BirthRecord.objects.exists()


def test_in_a_city_a_district_imports_births_of_its_own_villages_only(city, district_a, district_b):
    from ruraledu.accounts.choices import Role
    from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
    from ruraledu.orgunits.choices import OrgUnitKind
    from ruraledu.orgunits.tests.factories import OrgUnitFactory

    for district in (district_a, district_b):
        town = district.children.get()
        OrgUnitFactory(
            code=f"{district.code}V",
            name=f"{district.code}村",
            kind=OrgUnitKind.VILLAGE,
            parent=town,
        )
    admin_a, city_admin = UserFactory(username="admin_a"), UserFactory(username="city_admin")
    RoleAssignmentFactory(user=admin_a, role=Role.DISTRICT_ADMIN, org_unit=district_a)
    RoleAssignmentFactory(user=city_admin, role=Role.DISTRICT_ADMIN, org_unit=city)
    data = template_file(
        "births",
        {"village": "AV", "birth_year": 2019, "births": 31},
        {"village": "BV", "birth_year": 2019, "births": 12},
    )
    # A's bureau: the other district's village is refused by sheet, row and column, and the
    # file's own village is not written either
    messages = refusal("births", data, admin_a)
    assert messages == [
        sheet(TITLE, 4, "村居代码", "BV", "无权导入该村居的数据（不在您的管辖范围内）")
    ]
    assert not BirthRecord.objects.exists()
    # its own villages only: imported
    own = template_file("births", {"village": "AV", "birth_year": 2019, "births": 31})
    assert import_file("births", own, admin_a).created == 1
    # the city's bureau imports for every district
    result = import_file("births", data, city_admin)
    assert (result.created, result.unchanged) == (1, 1)
    assert sorted(BirthRecord.objects.values_list("village__code", "births")) == [
        ("AV", 31),
        ("BV", 12),
    ]
