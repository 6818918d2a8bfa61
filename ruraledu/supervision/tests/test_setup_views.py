"""The bureau's set-up pages: only the bureau reaches them (404 for everyone else, nothing
changes); zones, kinds and checklist versions, assignments, 包校 links and the 挂牌 card."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ruraledu.accounts.choices import Role
from ruraledu.accounts.models import RoleAssignment
from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.activities.models import SchoolLink

from .. import services
from ..choices import ChecklistStatus
from ..models import Checklist, InspectorAssignment, InspectorPhoto, StaffAccount, VisitKind, Zone
from .conftest import YEAR, jpeg, staff

SETUP_PAGES = [
    ("supervision:setup", None),
    ("supervision:zone_create", None),
    ("supervision:kind_create", None),
    ("supervision:assignment_list", None),
    ("supervision:link_list", None),
]


@pytest.mark.parametrize(("name", "args"), SETUP_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("district_admin", 200),
        ("district_leader", 404),
        ("town_officer", 404),
        ("school_clerk", 404),
        ("inspector", 404),
    ],
)
def test_setup_pages_open_to_the_bureau_only(client, request, name, args, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name, args=args)).status_code == status


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("supervision:setup"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("persona", ["district_leader", "town_officer", "inspector"])
def test_posts_by_anyone_but_the_bureau_are_404_and_change_nothing(
    client, request, persona, school_a
):
    client.force_login(request.getfixturevalue(persona))
    zone = client.post(reverse("supervision:zone_create"), {"name": "越权", "schools": school_a.pk})
    kind = client.post(reverse("supervision:kind_create"), {"name": "越权"})
    assert (zone.status_code, kind.status_code) == (404, 404)
    assert not Zone.objects.exists() and not VisitKind.objects.exists()


def test_the_bureau_makes_a_zone_of_schools(client, district_admin, town_a, school_a, school_b):
    # when
    client.force_login(district_admin)
    client.post(
        reverse("supervision:zone_create"),
        {"name": "甲镇责任区", "town": town_a.pk, "schools": [school_a.pk]},
    )
    # then
    zone = Zone.objects.get()
    assert (zone.name, zone.town, list(zone.schools.all())) == ("甲镇责任区", town_a, [school_a])


def test_a_zone_keeps_only_the_schools_chosen_by_id(client, district_admin, town_a, school_a):
    client.force_login(district_admin)
    client.post(
        reverse("supervision:zone_create"),
        {"name": "甲镇责任区", "town": town_a.pk, "schools": [school_a.pk, "x", "²", "1.5"]},
    )
    assert list(Zone.objects.get().schools.all()) == [school_a]


def test_a_published_checklist_is_revised_into_a_new_version_and_stays_frozen(
    client, district_admin
):
    client.force_login(district_admin)
    client.post(reverse("supervision:kind_create"), {"name": "专项督导", "visits_per_month": "1"})
    kind = VisitKind.objects.get()
    create = reverse("supervision:checklist_create") + f"?kind={kind.pk}"
    client.post(create, {"title": "专项检查表", "lines": "安全管理：消防设施\n食堂卫生"})
    first = Checklist.objects.get()
    client.post(reverse("supervision:checklist_edit", args=[first.pk]), {"step": "publish"})
    # when the bureau tries to edit the published one, then revises it into a new version
    client.post(
        reverse("supervision:checklist_edit", args=[first.pk]),
        {"title": "改", "lines": "安全管理：改过的"},
    )
    client.post(create, {"title": "专项检查表", "lines": "安全管理：消防设施\n教学：课程开齐"})
    second = Checklist.objects.get(version=2)
    client.post(reverse("supervision:checklist_edit", args=[second.pk]), {"step": "publish"})
    # then version 1 kept its items and retired; version 2 is the one in use
    first.refresh_from_db()
    assert first.status == ChecklistStatus.RETIRED and first.title == "专项检查表"
    assert [(i.area, i.text) for i in first.items.all()] == [
        ("安全管理", "消防设施"),
        ("安全管理", "食堂卫生"),
    ]
    assert second.status == ChecklistStatus.DRAFT  # the instance read before publishing
    assert services.checklist_current(kind) == second
    assert [i.text for i in second.items.all()] == ["消防设施", "课程开齐"]


def test_an_empty_checklist_is_refused_with_a_reason(client, district_admin):
    client.force_login(district_admin)
    kind = services.visit_kind_save(actor=district_admin, name="暗访")
    url = reverse("supervision:checklist_create") + f"?kind={kind.pk}"
    response = client.post(url, {"title": "空", "lines": "  \n"}, follow=True)
    assert "检查表没有任何条目" in response.content.decode()
    assert not Checklist.objects.exists()


def test_the_bureau_assigns_and_reassigns_an_inspector(client, district_admin, school_a):
    first, second = UserFactory(username="li"), UserFactory(username="zhou")
    client.force_login(district_admin)
    url = reverse("supervision:assignment_list") + f"?year={YEAR}"
    for who, day in ((first, "2025-09-01"), (second, "2025-10-08")):
        client.post(
            url,
            {
                "step": "assign",
                "school": school_a.pk,
                "inspector": who.username,
                "started_on": day,
                "work_phone": "0533-5180000",
                "duties": "每月督导一次",
            },
        )
    # then the first assignment ended that day and its role went with it
    ended = InspectorAssignment.objects.get(inspector=first)
    current = InspectorAssignment.objects.get(inspector=second)
    assert (ended.ended_on, current.ended_on, current.year) == (dt.date(2025, 10, 8), None, YEAR)
    assert list(
        RoleAssignment.objects.filter(role=Role.INSPECTOR).values_list("user__username", flat=True)
    ) == ["zhou"]


def test_the_card_shows_the_inspector_phone_photo_and_hotline_in_scope_only(
    client, settings, district_admin, inspector, school_a, school_clerk, outsider
):
    settings.SUPERVISION_HOTLINE = "0533-12345"
    client.force_login(district_admin)
    client.post(
        reverse("supervision:assignment_list"),
        {
            "step": "photo",
            "inspector": inspector.username,
            "photo": SimpleUploadedFile("me.jpg", jpeg(), "image/jpeg"),
        },
    )
    assert InspectorPhoto.objects.get().user == inspector
    card = reverse("supervision:card", args=[school_a.pk])
    photo = reverse("supervision:card_photo", args=[school_a.pk])
    # when the school's clerk opens the wall-sign layout
    client.force_login(school_clerk)
    page = client.get(card + "?layout=sign").content.decode()
    # then
    assert "李督学" in page and "0533-5180000" in page and "督学热线：0533-12345" in page
    assert "card-sheet sign" in page and photo in page
    response = client.get(photo)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(outsider)
    assert (client.get(card).status_code, client.get(photo).status_code) == (404, 404)


def test_the_bureau_links_an_account_to_staff_and_a_researcher_to_a_school(
    client, district_admin, school_a
):
    person = staff("王教研")
    user = UserFactory(username="wang")
    client.force_login(district_admin)
    url = reverse("supervision:link_list") + f"?year={YEAR}"
    client.post(
        url,
        {"step": "account", "username": "wang", "name": "王教研", "id_number": person.id_number()},
    )
    client.post(url, {"step": "link", "username": "wang", "school": school_a.pk})
    assert StaffAccount.objects.get().person == person
    link = SchoolLink.objects.get()
    assert (link.person, link.school, link.year) == (person, school_a, YEAR)
    assert RoleAssignment.objects.filter(
        user=user, role=Role.RESEARCHER, org_unit=school_a.org_unit
    ).exists()


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("district_admin", ["督导工作台", "问题台账", "责任区与督学", "督导设置"]),
        ("inspector", ["督导工作台", "问题台账", "责任区与督学"]),
        ("school_clerk", ["督导工作台", "问题台账", "责任区与督学"]),
        ("department_reporter", []),
    ],
)
def test_the_menu_offers_supervision_to_roles_with_supervision_work(
    client, request, persona, shown
):
    client.force_login(request.getfixturevalue(persona))
    groups = dict(client.get(reverse("supervision:home")).context["nav_groups"])
    assert [label for label, _ in groups.get("督导", [])] == shown


def test_the_home_page_leads_the_bureau_to_set_up_and_the_inspector_to_cards(
    client, district_admin, inspector, school_a
):
    client.force_login(district_admin)
    page = client.get(reverse("supervision:home")).content.decode()
    assert reverse("supervision:setup") in page
    # the bureau holds no 挂牌 of its own: no "my schools" link (its page would be a 404)
    mine = reverse("supervision:inspector_detail", args=[district_admin.pk])
    assert mine not in page
    assert client.get(mine).status_code == 404
    client.force_login(inspector)
    page = client.get(reverse("supervision:home")).content.decode()
    assert reverse("supervision:card", args=[school_a.pk]) in page
    assert reverse("supervision:setup") not in page
    mine = reverse("supervision:inspector_detail", args=[inspector.pk])
    assert mine in page
    assert client.get(mine).status_code == 200


def test_an_assignment_starting_outside_its_school_year_is_refused(
    client, district_admin, school_a
):
    # given the bureau on the 2024 page, a year already over
    client.force_login(district_admin)
    url = reverse("supervision:assignment_list") + f"?year={YEAR - 1}"
    # then the start date is left to choose, within that year (not offered as its last day)
    page = client.get(url).content.decode()
    assert 'name="started_on" value="" min="2024-09-01" max="2025-08-31"' in page
    # when an assignment of that year is given a start in the next
    response = client.post(
        url,
        {
            "step": "assign",
            "school": school_a.pk,
            "inspector": UserFactory(username="li").username,
            "started_on": "2025-09-01",
        },
        follow=True,
    )
    # then it is refused with the year's range named
    assert "开始日期须在2024—2025学年内（2024-09-01 至 2025-08-31）。" in response.content.decode()
    assert not InspectorAssignment.objects.exists()


@pytest.mark.parametrize("typed", ["0.5", "abc", "-1", "２"])
def test_a_frequency_that_is_no_whole_number_is_refused_not_read_as_0(
    client, district_admin, typed
):
    client.force_login(district_admin)
    kind = services.visit_kind_save(actor=district_admin, name="专项督导", visits_per_month=2)
    url = reverse("supervision:kind_edit", args=[kind.pk])
    response = client.post(url, {"name": "专项督导", "visits_per_month": typed})
    assert response.status_code == 400
    assert "请填写 0 或正整数" in response.content.decode()
    kind.refresh_from_db()
    assert kind.visits_per_month == 2
    # blank is 0, as before
    client.post(url, {"name": "专项督导", "visits_per_month": " "})
    kind.refresh_from_db()
    assert kind.visits_per_month == 0
