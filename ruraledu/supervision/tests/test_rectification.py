import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ruraledu.accounts.choices import Role
from ruraledu.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ruraledu.reporting.models import Notification

from .. import services
from ..choices import Escalation, ItemStatus
from ..models import ItemEvent, NoticeCounter, RectificationItem, RectificationNotice
from .conftest import VISITED_ON, items_of, jpeg, signed_visit_with_findings

ISSUED = dt.date(2025, 9, 23)


@pytest.fixture
def issued(inspector, school_a, kind):
    visit, findings = signed_visit_with_findings(school_a, inspector, kind)
    items = items_of(findings, inspector)
    notice = services.notice_issue(actor=inspector, items=items, issued_on=ISSUED)
    return notice, [RectificationItem.objects.get(pk=i.pk) for i in items]


def test_a_deadline_before_the_visit_is_refused(inspector, school_a, kind):
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    with pytest.raises(ValidationError, match="整改期限必须晚于督导日期"):
        items_of(findings, inspector, deadline=VISITED_ON)
    assert not RectificationItem.objects.exists()


def test_a_notice_is_numbered_by_the_bureau_pattern_and_never_reused(
    issued, inspector, school_a, kind
):
    notice, items = issued
    assert notice.label == "川教督整〔2025〕1号"
    assert {i.status for i in items} == {ItemStatus.NOTIFIED}
    assert {i.notice for i in items} == {notice}
    _, more = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    second = services.notice_issue(
        actor=inspector, items=items_of(more, inspector), issued_on=ISSUED
    )
    assert second.label == "川教督整〔2025〕2号"
    assert NoticeCounter.objects.get(year=2025).last == 2


def test_the_pattern_is_a_setting(settings, inspector, school_a, kind):
    settings.SUPERVISION_NOTICE_PATTERN = "淄教督整〔{year}〕第{number}号"
    _, findings = signed_visit_with_findings(school_a, inspector, kind, findings=1)
    notice = services.notice_issue(
        actor=inspector, items=items_of(findings, inspector), issued_on=ISSUED
    )
    assert notice.label == "淄教督整〔2025〕第1号"


def test_a_notice_needs_a_signed_off_visit_and_open_items(issued, inspector, school_a, kind):
    notice, items = issued
    with pytest.raises(ValidationError, match="不能下发"):
        services.notice_issue(actor=inspector, items=items, issued_on=ISSUED)
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON
    )
    finding = services.finding_add(actor=inspector, visit=visit, area="安全", text="未签字")
    with pytest.raises(ValidationError, match="签字锁定后"):
        services.notice_issue(
            actor=inspector, items=items_of([finding], inspector), issued_on=ISSUED
        )
    assert RectificationNotice.objects.count() == 1
    assert NoticeCounter.objects.get().last == 1  # the refused issue used no number


def test_the_school_answers_and_the_inspector_closes_one_and_returns_the_other(
    issued, inspector, school_clerk
):
    _, (first, second) = issued
    for item in (first, second):
        services.item_answer(
            actor=school_clerk,
            item=item,
            version=item.version,
            text="已完成整改并复查",
            files=[(jpeg(), "整改后.jpg")],
        )
    first, second = (RectificationItem.objects.get(pk=i.pk) for i in (first, second))
    assert first.answers.get().evidence.get().original_name == "整改后.jpg"
    services.item_close(actor=inspector, item=first, version=first.version, on=dt.date(2025, 10, 9))
    services.item_return(
        actor=inspector, item=second, version=second.version, reason="消防通道仍有杂物"
    )
    assert RectificationItem.objects.get(pk=first.pk).status == ItemStatus.CLOSED
    assert RectificationItem.objects.get(pk=second.pk).status == ItemStatus.RETURNED
    # a returned item is answered again; a closed item is locked
    second = RectificationItem.objects.get(pk=second.pk)
    services.item_answer(
        actor=school_clerk, item=second, version=second.version, text="杂物已全部清理"
    )
    assert RectificationItem.objects.get(pk=second.pk).answers.count() == 2
    first = RectificationItem.objects.get(pk=first.pk)
    with pytest.raises(ValidationError, match="已销号"):
        services.item_answer(
            actor=school_clerk, item=first, version=first.version, text="再次反馈内容"
        )
    kinds = list(ItemEvent.objects.filter(item=first).values_list("kind", flat=True))
    assert kinds == ["created", "notified", "answered", "closed"]


def test_closing_or_returning_needs_an_answer_first(issued, inspector):
    _, (item, _) = issued
    with pytest.raises(ValidationError, match="不能销号"):
        services.item_close(actor=inspector, item=item, version=item.version, on=ISSUED)
    with pytest.raises(ValidationError, match="不能退回"):
        services.item_return(actor=inspector, item=item, version=item.version, reason="原因写清楚")


def test_two_people_answering_one_item_the_second_is_refused(issued, school_clerk):
    _, (item, _) = issued
    colleague = UserFactory(username="colleague")
    RoleAssignmentFactory(user=colleague, role=Role.SCHOOL_CLERK, org_unit=item.school.org_unit)
    seen = item.version
    services.item_answer(actor=school_clerk, item=item, version=seen, text="第一个人的反馈")
    with pytest.raises(ValidationError, match="已被其他人更新"):
        services.item_answer(actor=colleague, item=item, version=seen, text="第二个人的反馈")
    assert RectificationItem.objects.get(pk=item.pk).answers.count() == 1


def test_others_cannot_answer_or_verify(
    issued, outsider, other_inspector, district_leader, school_clerk
):
    _, (item, _) = issued
    for actor in (outsider, other_inspector, district_leader):
        with pytest.raises(PermissionDenied):
            services.item_answer(actor=actor, item=item, version=item.version, text="越权反馈内容")
    services.item_answer(actor=school_clerk, item=item, version=item.version, text="本校反馈内容")
    item = RectificationItem.objects.get(pk=item.pk)
    for actor in (school_clerk, other_inspector, district_leader):
        with pytest.raises(PermissionDenied):
            services.item_close(actor=actor, item=item, version=item.version, on=ISSUED)
        # with an old copy too they are refused for their rights, not told of versions
        with pytest.raises(PermissionDenied):
            services.item_close(actor=actor, item=item, version=item.version - 1, on=ISSUED)
    assert RectificationItem.objects.get(pk=item.pk).status == ItemStatus.ANSWERED


def test_overdue_items_escalate_to_the_town_then_the_bureau(
    issued, town_officer, district_admin, django_capture_on_commit_callbacks
):
    _, (item, _) = issued  # deadline 2025-10-20, a Monday
    assert services.items_escalate(today=dt.date(2025, 10, 24)) == 0  # 4 working days late
    with django_capture_on_commit_callbacks(execute=True):
        assert services.items_escalate(today=dt.date(2025, 10, 27)) == 2  # 5: to the town
    item = RectificationItem.objects.get(pk=item.pk)
    assert item.escalation == Escalation.TOWN
    assert Notification.objects.filter(recipient=town_officer).count() == 2
    assert services.items_escalate(today=dt.date(2025, 10, 27)) == 0  # re-run: nothing new
    with django_capture_on_commit_callbacks(execute=True):
        assert services.items_escalate(today=dt.date(2025, 11, 3)) == 2  # 10: to the bureau
    assert RectificationItem.objects.get(pk=item.pk).escalation == Escalation.BUREAU
    assert Notification.objects.filter(recipient=district_admin).count() == 2


def test_an_answered_item_does_not_escalate(issued, school_clerk):
    _, (item, _) = issued
    services.item_answer(actor=school_clerk, item=item, version=item.version, text="已按期整改完毕")
    assert services.items_escalate(today=dt.date(2025, 11, 3)) == 1
