"""Changes made to the plan in the Django admin are in the audit trail, before and after."""

from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from ruraledu.accounts.models import User
from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.audit.models import AuditEvent
from ruraledu.plans.models import Project, Target, Task
from ruraledu.reporting.tests.factories import MeasuredFactory, ProjectFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def form_data(obj) -> dict:
    """What the admin's change form posts for `obj` unchanged."""
    request = RequestFactory().get("/")
    request.user = User.objects.get(username="root")
    form = site._registry[type(obj)].get_form(request, obj)(instance=obj)
    values = {name: form[name].value() for name in form.fields}
    return {name: "" if value is None else value for name, value in values.items()}


def trail(model, pk):
    kind = ContentType.objects.get_for_model(model)
    return AuditEvent.objects.filter(content_type=kind, object_id=str(pk)).order_by("pk")


def test_editing_a_target_threshold_writes_an_audit_row(admin_client, superuser):
    # given
    target = MeasuredFactory(threshold=Decimal("95"))
    data = {**form_data(target), "threshold": "98.5"}
    # when
    response = admin_client.post(
        reverse("admin:plans_target_change", args=[target.pk]), data, REMOTE_ADDR="192.0.2.4"
    )
    # then
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.threshold == Decimal("98.5")
    event = trail(Target, target.pk).get()
    assert (event.action, event.before, event.after) == (
        "update",
        {"threshold": "95"},
        {"threshold": "98.5"},
    )
    assert (event.actor, event.address, event.summary) == (superuser, "192.0.2.4", "在管理后台修改")


def test_saving_a_target_unchanged_writes_nothing(admin_client):
    target = MeasuredFactory()
    response = admin_client.post(
        reverse("admin:plans_target_change", args=[target.pk]), form_data(target)
    )
    assert response.status_code == 302
    assert not trail(Target, target.pk).exists()


def test_adding_a_target_is_audited_with_its_values(admin_client):
    project = ProjectFactory()
    data = {
        **form_data(Target(plan=project.plan)),
        "plan": project.plan.pk,
        "project": project.pk,
        "code": "NEW-1",
        "text": "新增目标",
        "kind": "milestone",
        "due_date": "2026-12-31",
        "recurrence": "once",
    }
    response = admin_client.post(reverse("admin:plans_target_add"), data)
    assert response.status_code == 302
    target = Target.objects.get(code="NEW-1")
    event = trail(Target, target.pk).get()
    assert event.action == "create"
    assert event.after["text"] == "新增目标"
    assert event.after["project"] == project.pk


def test_inline_tasks_are_audited_one_row_each(admin_client):
    # given a project with two tasks
    project = ProjectFactory()
    kept = Task.objects.create(project=project, number=1, text="原任务一")
    dropped = Task.objects.create(project=project, number=2, text="原任务二")
    data = {
        **form_data(project),
        "tasks-TOTAL_FORMS": "3",
        "tasks-INITIAL_FORMS": "2",
        "tasks-0-id": kept.pk,
        "tasks-0-project": project.pk,
        "tasks-0-number": "1",
        "tasks-0-text": "改过的任务一",
        "tasks-1-id": dropped.pk,
        "tasks-1-project": project.pk,
        "tasks-1-number": "2",
        "tasks-1-text": "原任务二",
        "tasks-1-DELETE": "on",
        "tasks-2-project": project.pk,
        "tasks-2-number": "3",
        "tasks-2-text": "新任务三",
        "responsibilities-TOTAL_FORMS": "0",
        "responsibilities-INITIAL_FORMS": "0",
    }
    # when
    response = admin_client.post(reverse("admin:plans_project_change", args=[project.pk]), data)
    # then
    assert response.status_code == 302
    added = Task.objects.get(number=3)
    assert [(e.action, e.before, e.after) for e in trail(Task, kept.pk)] == [
        ("update", {"text": "原任务一"}, {"text": "改过的任务一"})
    ]
    assert [(e.action, e.before["text"]) for e in trail(Task, dropped.pk)] == [
        ("delete", "原任务二")
    ]
    assert [(e.action, e.after["text"]) for e in trail(Task, added.pk)] == [("create", "新任务三")]
    assert not trail(Project, project.pk).exists()  # the project itself did not change
    assert len({e.batch for e in AuditEvent.objects.all()}) == 1


def test_deleting_a_project_audits_the_records_deleted_with_it(admin_client):
    # given
    project = ProjectFactory()
    target = MeasuredFactory(project=project, plan=project.plan)
    task = Task.objects.create(project=project, number=1, text="任务")
    # when
    response = admin_client.post(
        reverse("admin:plans_project_delete", args=[project.pk]), {"post": "yes"}
    )
    # then
    assert response.status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()
    assert trail(Project, project.pk).get().before["name"] == project.name
    assert trail(Target, target.pk).get().before["code"] == target.code
    assert trail(Task, task.pk).get().action == "delete"


def test_bulk_delete_of_targets_is_audited(admin_client):
    targets = [MeasuredFactory(), MeasuredFactory()]
    response = admin_client.post(
        reverse("admin:plans_target_changelist"),
        {"action": "delete_selected", "_selected_action": [t.pk for t in targets], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Target.objects.exists()
    for t in targets:
        assert trail(Target, t.pk).get().action == "delete"
