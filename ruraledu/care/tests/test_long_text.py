"""Free text on a case has a length limit with a message naming the field; what was typed is
kept on the page and nothing is saved."""

from django.urls import reverse

from ..choices import CaseStatus
from ..forms import LONG_TEXT
from ..models import DropoutCase
from .conftest import FOUND_ON, open_case, walk


def test_a_plan_longer_than_the_limit_is_refused_with_its_name(client, pupil, care_officer):
    case = open_case(pupil, care_officer)
    client.force_login(care_officer)
    data = {"plan-version": case.version, "plan-on": FOUND_ON, "plan-plan": "劝" * 20000}
    response = client.post(reverse("care:case_step", args=[case.pk, "plan"]), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert f"劝返方案最多 {LONG_TEXT} 个字（现在 20000 个字），请精简。" in body
    assert DropoutCase.objects.get(pk=case.pk).plan == ""
    # a plan at the limit is taken
    data["plan-plan"] = "劝" * LONG_TEXT
    assert client.post(reverse("care:case_step", args=[case.pk, "plan"]), data).status_code == 302
    assert len(DropoutCase.objects.get(pk=case.pk).plan) == LONG_TEXT


def test_a_contact_record_longer_than_the_limit_is_refused(client, pupil, care_officer):
    case = walk(open_case(pupil, care_officer), care_officer, CaseStatus.ASSIGNED)
    client.force_login(care_officer)
    data = {
        "contact-version": case.version,
        "contact-on": FOUND_ON,
        "contact-kind": "phone",
        "contact-who": "李老师",
        "contact-outcome": "x" * (LONG_TEXT + 1),
    }
    response = client.post(reverse("care:case_step", args=[case.pk, "contact"]), data)
    assert response.status_code == 400
    assert "情况与结果最多" in response.content.decode()
    assert not case.contacts.exists()
