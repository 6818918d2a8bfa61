"""The audit trail is append-only: rows are written by services and can never be changed or
removed through the application, nor (on PostgreSQL) by SQL."""

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from ruraledu.audit.admin import AuditEventAdmin
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent, AuditImmutableError
from ruraledu.audit.selectors import audit_event_list
from ruraledu.audit.services import AuditEntry, audit_bulk, audit_record, snapshot
from ruraledu.audit.utils import request_address
from ruraledu.orgunits.models import Department
from ruraledu.spreadsheets.base import ImportResult
from ruraledu.spreadsheets.signals import import_committed


@pytest.fixture
def event(department, district_admin):
    return audit_record(
        actor=district_admin,
        instance=department,
        action=AuditAction.UPDATE,
        before={"name": "区卫健局", "sort_order": 1},
        after={"name": "区卫生健康局", "sort_order": 1},
        summary="更名",
        address="192.0.2.7",
    )


def test_an_update_keeps_only_what_changed(event, department, district_admin):
    assert (event.before, event.after) == ({"name": "区卫健局"}, {"name": "区卫生健康局"})
    assert event.object_id == str(department.pk)
    assert event.actor == district_admin
    assert event.actor_name.endswith("（district_admin）")
    assert event.address == "192.0.2.7"


def test_rows_cannot_be_changed_or_deleted_through_the_orm(event):
    event.summary = "改写"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="改写")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.bulk_update([event], ["summary"])
    assert AuditEvent.objects.get(pk=event.pk).summary == "更名"


def test_the_admin_is_read_only_even_for_superusers(event, district_admin):
    request = RequestFactory().get("/")
    request.user = district_admin
    district_admin.is_superuser = True
    model_admin = AuditEventAdmin(AuditEvent, site)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.get_actions(request) == {}


def test_the_database_refuses_update_and_delete_by_sql(event):
    for sql in (
        "UPDATE audit_auditevent SET summary = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "更名"


def test_bulk_rows_share_a_batch(db, district_admin):
    departments = [Department.objects.create(code=f"d{i}", name=f"部门{i}") for i in range(3)]
    written = audit_bulk(
        actor=district_admin,
        entries=[AuditEntry.of(d, AuditAction.CREATE) for d in departments],
        summary="导入部门",
        batch_size=2,
    )
    rows = AuditEvent.objects.filter(summary="导入部门")
    assert written == rows.count() == 3
    assert len({r.batch for r in rows}) == 1
    assert rows.get(object_id=str(departments[0].pk)).after == snapshot(departments[0])


def test_a_committed_import_is_audited(district_admin):
    class Sender:
        class spec:  # noqa: N801
            title = "学生名册"

    import_committed.send(
        sender=Sender,
        kind="students",
        year=2025,
        user=district_admin,
        result=ImportResult(created=10, updated=2, unchanged=5),
    )
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.summary == "导入“学生名册”（2025学年）：新增 10 条，更新 2 条，未变 5 条"
    assert event.actor == district_admin


def test_search_is_for_the_bureau_only(event, district_admin, department_reporter):
    assert list(audit_event_list(user=district_admin, text="卫生")) == [event]
    assert list(audit_event_list(user=district_admin, text="没有")) == []
    with pytest.raises(Exception, match="只有区教体局"):
        audit_event_list(user=department_reporter)


def test_record_history_page(client, event, department, district_admin, department_reporter):
    url = reverse("audit:record_history", args=["orgunits", "department", department.pk])
    client.force_login(department_reporter)
    assert client.get(url).status_code == 404
    client.force_login(district_admin)
    page = client.get(url).content.decode()
    assert "更名" in page and "区卫健局" in page and "192.0.2.7" in page
    search = client.get(reverse("audit:event_list"), {"q": "卫生", "action": "update"})
    assert "更名" in search.content.decode()


def test_the_client_address_comes_from_the_connection():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert request_address(request) == "203.0.113.9"
    assert request_address(RequestFactory().get("/", REMOTE_ADDR="bad")) is None


def test_changes_read_in_chinese_field_names_and_choice_labels(client, town_a, district_admin):
    # given a change of a unit's kind, its parent (by column) and a key no field has
    from ruraledu.orgunits.choices import OrgUnitKind
    from ruraledu.orgunits.models import OrgUnit

    event = audit_record(
        actor=district_admin,
        instance=town_a,
        action=AuditAction.UPDATE,
        before={"kind": OrgUnitKind.TOWN, "parent_id": 987654, "note_key": "甲"},
        after={"kind": OrgUnitKind.SUBDISTRICT, "parent_id": town_a.parent_id, "note_key": "乙"},
        summary="调整",
    )
    # then each field reads by its name on forms, a choice by its label
    meta = OrgUnit._meta
    assert event.changes == [
        (
            str(meta.get_field("kind").verbose_name),
            OrgUnitKind.TOWN.label,
            OrgUnitKind.SUBDISTRICT.label,
        ),
        # a unit by name and code; one no longer there as stored
        (
            str(meta.get_field("parent").verbose_name),
            987654,
            f"{town_a.parent.name}（{town_a.parent.code}）",
        ),
        ("note_key", "甲", "乙"),
    ]
    # and the record's history page shows them so
    client.force_login(district_admin)
    page = client.get(reverse("audit:record_history", args=["orgunits", "orgunit", town_a.pk]))
    body = page.content.decode()
    assert f"{meta.get_field('kind').verbose_name}</span>：{OrgUnitKind.TOWN.label}" in body
    assert "<code>kind</code>" not in body
