"""Adding a yearly data kind is a change inside one app: a kind declared by a throwaway test app
is rolled into a new school year, removed with the demo and listed in the registry tabs."""

import pytest
from django.urls import reverse

from ruraledu.core.kinds import yearly_kinds
from ruraledu.core.rollforward import roll_preview, school_year_start
from ruraledu.demo.generator.runner import demo_wipe
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.tests.factories import OrgUnitFactory, SchoolFactory

from .throwaway import ThrowawayRecord, throwaway_kind

pytestmark = pytest.mark.django_db(transaction=True)  # the table is created and dropped


@pytest.fixture
def kind(transactional_db):
    with throwaway_kind() as declared:
        yield declared
    assert declared not in yearly_kinds()


@pytest.fixture
def places(transactional_db):
    district = OrgUnitFactory(code="TD", name="测试区", kind=OrgUnitKind.DISTRICT, parent=None)
    town = OrgUnitFactory(code="TDT", name="测试镇", kind=OrgUnitKind.TOWN, parent=district)
    generated = SchoolFactory(
        org_unit__code="TDS1", org_unit__name="测试镇示例小学", org_unit__parent=town
    )
    real = SchoolFactory(
        org_unit__code="TDS2", org_unit__name="测试镇中心小学", org_unit__parent=town
    )
    return generated, real


def test_a_new_school_year_rolls_the_declared_kind_forward(kind, places):
    # given a record of 2024
    school, _ = places
    ThrowawayRecord.objects.create(school=school, year=2024, note="原样")
    # when 2025 is previewed and started
    preview = dict(roll_preview(2025))
    copied = school_year_start(year=2025)
    # then the kind is announced and copied, through its own transform
    assert preview["试用记录"] == 1
    assert copied["试用记录"] == 1
    assert ThrowawayRecord.objects.get(year=2025).note == "已结转"
    assert ThrowawayRecord.objects.get(year=2024).note == "原样"


def test_the_demo_wipe_removes_the_declared_kind_at_generated_schools_only(kind, places):
    # given records at a generated (示例) school and at a real one
    generated, real = places
    ThrowawayRecord.objects.create(school=generated, year=2024, note="示例")
    ThrowawayRecord.objects.create(school=real, year=2024, note="真实")
    # when the demo removes what it generated in the district
    demo_wipe(["TD"])
    # then only the real school's record is left
    assert list(ThrowawayRecord.objects.values_list("note", flat=True)) == ["真实"]


def test_the_registry_tabs_list_the_declared_kind(kind, places, admin_client):
    # when a school's registry page is opened
    school, _ = places
    page = admin_client.get(reverse("facilities:facility_detail", args=[school.org_unit.code]))
    # then the declared kind is a tab after the others, linking to its page
    html = page.content.decode()
    link = reverse("orgunits:unit_detail", args=[school.org_unit.code])
    assert f'href="{link}?year=' in html
    assert html.index("学生</a>") < html.index("试用记录</a>")


def test_without_the_declaration_nothing_knows_the_kind(places, admin_client):
    school, _ = places
    page = admin_client.get(reverse("facilities:facility_detail", args=[school.org_unit.code]))
    assert "试用记录" not in page.content.decode()
    assert "throwaway.records" not in {k.key for k in yearly_kinds()}
