"""Where a record names itself with its time (admin lists, logs), the time is local, as on every
page: the database holds it in UTC."""

import datetime as dt

from ruraledu.accounts.models import User
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.models import AuditEvent
from ruraledu.core.models import PersonalDataAccess

# 01:30 on 7 December in Beijing
MOMENT = dt.datetime(2026, 12, 6, 17, 30, tzinfo=dt.UTC)


def test_an_audit_event_names_its_local_time():
    event = AuditEvent(
        at=MOMENT, actor_name="王老师", action=AuditAction.UPDATE, object_repr="甲镇中心小学"
    )
    assert str(event).startswith("2026-12-07 01:30 王老师")


def test_a_personal_data_read_names_its_local_time():
    read = PersonalDataAccess(
        user=User(username="clerk"), purpose="roster", subject="students.studentperson:1", at=MOMENT
    )
    assert str(read).endswith("2026-12-07 01:30")
