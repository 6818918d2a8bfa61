"""标准值 have a page of their own: everyone reads them, the bureau edits them (audited, with
history on the page) and the figures follow."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.models import RecomputeJob, Standard
from ruraledu.indicators.standards import reset_cache, standard

EDIT = reverse("indicators:standard_edit", args=["yzjh_r3", "primary"])


def test_every_user_reads_the_standards_with_their_state(client, school_clerk):
    client.force_login(school_clerk)
    page = client.get(reverse("indicators:standard_list")).content.decode()
    assert "每百名学生拥有体育、艺术专任教师数" in page and "待核定" in page
    assert EDIT not in page  # no edit link for a clerk
    assert client.get(EDIT).status_code == 404


def test_the_bureau_edits_a_standard_with_history_and_a_recompute(client, district_admin):
    client.force_login(district_admin)
    response = client.post(
        EDIT, {"value": "1.0", "source": "区教体局文件", "year": "2026", "provisional": ""}
    )
    assert response.status_code == 302
    reset_cache()
    assert standard("yzjh_r3", "primary") == (1.0, False)
    stored = Standard.objects.get(code="yzjh_r3", stage="primary")
    event = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Standard), object_id=str(stored.pk)
    )
    assert (event.action, event.before["value"], event.after["value"], event.actor) == (
        "update",
        0.9,
        1.0,
        district_admin,
    )
    assert RecomputeJob.objects.filter(reason__contains="修改标准值").exists()
    assert "（小学）= 1.0" in event.object_repr  # the stage by its label
    # a second edit keeps before and after, and the page lists both changes
    client.post(EDIT, {"value": "0.95", "source": "区教体局文件", "year": "2026"})
    page = client.get(EDIT).content.decode()
    assert "标准值：1.0" in page and "标准值：0.95" in page  # by the field's name, not "value"
    assert "value=1.0" not in page


def test_a_negative_standard_is_refused_in_chinese(client, district_admin):
    client.force_login(district_admin)
    page = client.post(EDIT, {"value": "-1", "source": "x"}).content.decode()
    assert "确保该值大于或等于0" in page
    assert Standard.objects.get(code="yzjh_r3", stage="primary").value == 0.9


def test_a_refusal_naming_a_field_not_on_the_form_shows_on_the_page(
    client, district_admin, monkeypatch
):
    """The model's full_clean names its own fields (名称 is not typed here): the page says
    so by the field's label rather than failing."""

    def refuse(**kwargs):
        raise ValidationError({"name": ["长度不能超过 80 个字符。"]})

    monkeypatch.setattr("ruraledu.indicators.standards_views.standard_set", refuse)
    client.force_login(district_admin)
    response = client.post(EDIT, {"value": "1.0", "source": "区教体局文件", "year": "2026"})
    assert response.status_code == 200
    assert "名称：长度不能超过 80 个字符。" in response.content.decode()
