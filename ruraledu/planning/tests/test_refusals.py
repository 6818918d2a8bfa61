"""A scenario the service refuses with the model's own field errors (fields the form does not
have) is shown again with the reasons, by the field's label, not a server error."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from ruraledu.indicators.tests._people_data import YEAR
from ruraledu.planning.inputs import DEFAULTS
from ruraledu.planning.models import Scenario


def test_a_field_keyed_refusal_shows_on_the_form(client, district_admin, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"inputs": ["参数不完整。"]})

    monkeypatch.setattr("ruraledu.planning.views.scenario_create", refuse)
    client.force_login(district_admin)
    data = {"name": "方案", "year": YEAR, "max_area": 3000, "max_posts": 10, "time_limit": 20}
    data.update({f"cost_{k}": v for k, v in DEFAULTS["costs"].items()})
    response = client.post(reverse("planning:scenario_create"), data)
    assert response.status_code == 400
    label = Scenario._meta.get_field("inputs").verbose_name
    assert f"{label}：参数不完整。" in response.content.decode()
