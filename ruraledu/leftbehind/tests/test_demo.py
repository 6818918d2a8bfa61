"""The demo's care work: most children on the list have a mentor, about a fifth are not yet
contacted this term, schools log 关爱室 activities, every row is audited, and a second run adds
nothing."""

from django.contrib.contenttypes.models import ContentType

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.audit.models import AuditEvent
from ruraledu.core.schoolyear import current_school_year
from ruraledu.demo.generator.runner import demo_generate
from ruraledu.students.models import Enrolment

from ..choices import cared_for
from ..demo import leftbehind_demo_setup
from ..models import CareContact, RoomActivity
from ..selectors import term_contacts
from ..terms import as_of


def _state():
    return (
        CareContact.objects.count(),
        RoomActivity.objects.count(),
        Enrolment.objects.filter(mentor__isnull=False).count(),
        AuditEvent.objects.count(),
    )


def test_the_demo_has_realistic_care_work_and_runs_once(db):
    # given a small generated district
    demo_generate(scale="tiny", years=[2025], seed=1)
    admin = UserFactory(username="admin")
    year = current_school_year()
    # when
    made = leftbehind_demo_setup(actor=admin)
    # then
    children = Enrolment.objects.filter(cared_for(), year=year)
    total = children.count()
    contacted = children.filter(
        person_id__in=term_contacts(as_of(year)).values("person_id")
    ).count()
    assert total >= 20
    assert made == CareContact.objects.count() > 0
    assert children.filter(mentor__isnull=False).count() >= 0.8 * total
    assert 0.1 * total <= total - contacted <= 0.35 * total
    assert RoomActivity.objects.exists()
    contact_type = ContentType.objects.get_for_model(CareContact)
    assert AuditEvent.objects.filter(content_type=contact_type).count() == made
    # and a second run changes nothing
    before = _state()
    assert leftbehind_demo_setup(actor=admin) == 0
    assert _state() == before
