import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from ruraledu.core.schoolyear import school_year_bounds, upload_years
from ruraledu.reporting.evidence import EvidenceRefused

from .. import services
from ..choices import ChecklistStatus, Verdict, VisitStatus
from ..models import Checklist, Visit, VisitPhoto
from ..photos import check_photo
from .conftest import VISITED_ON, fill_verdicts, jpeg


def test_an_empty_checklist_is_refused(district_admin, kind):
    with pytest.raises(ValidationError, match="没有任何条目"):
        services.checklist_draft_save(actor=district_admin, kind=kind, title="空表", lines=" \n")
    assert Checklist.objects.count() == 1


def test_a_published_checklist_never_changes_under_a_visit(
    district_admin, inspector, school_a, kind
):
    # given a visit on version 1
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON
    )
    first = visit.checklist
    # when the bureau tries to edit it, then publishes version 2
    with pytest.raises(ValidationError, match="已发布的检查表不能修改"):
        services.checklist_draft_save(
            actor=district_admin, kind=kind, title="x", lines="甲：乙", checklist=first
        )
    second = services.checklist_draft_save(
        actor=district_admin, kind=kind, title="新版", lines="安全管理：消防"
    )
    services.checklist_publish(actor=district_admin, checklist=second)
    # then the visit still holds version 1, with its three items; new visits use version 2
    visit.refresh_from_db()
    assert visit.checklist == first and first.items.count() == 3
    assert Checklist.objects.get(pk=first.pk).status == ChecklistStatus.RETIRED
    assert second.version == 2
    assert services.checklist_current(kind) == second


def test_the_inspector_records_and_signs_off_a_visit(inspector, school_a, kind):
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON
    )
    with pytest.raises(ValidationError, match="3 条检查条目没有给出结论"):
        services.visit_sign_off(
            actor=inspector,
            visit=visit,
            version=visit.version,
            principal_name="张校长",
            acknowledged=True,
        )
    visit = fill_verdicts(visit, inspector)
    with pytest.raises(ValidationError, match="校长"):
        services.visit_sign_off(
            actor=inspector,
            visit=visit,
            version=visit.version,
            principal_name="张校长",
            acknowledged=False,
        )
    visit = services.visit_sign_off(
        actor=inspector,
        visit=visit,
        version=visit.version,
        principal_name="张校长",
        acknowledged=True,
    )
    stored = Visit.objects.get()
    assert stored.status == VisitStatus.SIGNED_OFF
    assert stored.principal_name == "张校长" and stored.acknowledged_at is not None


def test_a_signed_off_visit_is_locked_and_corrected_by_a_new_record(inspector, school_a, kind):
    visit = fill_verdicts(
        services.visit_create(actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON),
        inspector,
    )
    visit = services.visit_sign_off(
        actor=inspector,
        visit=visit,
        version=visit.version,
        principal_name="张校长",
        acknowledged=True,
    )
    with pytest.raises(ValidationError, match="锁定"):
        services.finding_add(actor=inspector, visit=visit, area="安全", text="补记")
    with pytest.raises(ValidationError, match="锁定"):
        fill_verdicts(visit, inspector, Verdict.NOT_MET)
    with pytest.raises(ValidationError, match="锁定"):
        services.photo_add(actor=inspector, visit=visit, data=jpeg(), filename="a.jpg")
    correction = services.visit_correct(actor=inspector, visit=visit, visited_on=VISITED_ON)
    assert correction.corrects == visit and correction.status == VisitStatus.DRAFT
    assert set(Visit.objects.get(pk=visit.pk).verdicts.values_list("verdict", flat=True)) == {
        Verdict.MET
    }


def test_a_stale_form_is_refused_with_a_reason(inspector, school_a, kind):
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON
    )
    seen = visit.version
    services.visit_update(
        actor=inspector, visit=visit, version=seen, summary="第一次", team="", verdicts={}
    )
    with pytest.raises(ValidationError, match="已被其他人更新"):
        services.visit_update(
            actor=inspector, visit=visit, version=seen, summary="第二次", team="", verdicts={}
        )
    assert Visit.objects.get().summary == "第一次"


def test_another_schools_inspector_cannot_record_a_visit(
    other_inspector, inspector, school_a, kind
):
    with pytest.raises(PermissionDenied):
        services.visit_create(
            actor=other_inspector, school=school_a, kind=kind, visited_on=VISITED_ON
        )
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON
    )
    with pytest.raises(PermissionDenied):
        services.finding_add(actor=other_inspector, visit=visit, area="安全", text="x")
    assert not visit.findings.exists()


def test_a_future_visit_date_is_refused(inspector, school_a, kind):
    with pytest.raises(ValidationError, match="督导日期不能晚于今天"):
        services.visit_create(
            actor=inspector,
            school=school_a,
            kind=kind,
            visited_on=dt.date.today() + dt.timedelta(days=1),
        )


def test_a_photo_is_stored_without_its_gps_and_once_per_client_key(inspector, school_a, kind):
    visit = services.visit_create(
        actor=inspector, school=school_a, kind=kind, visited_on=VISITED_ON
    )
    photo, created = services.photo_add(
        actor=inspector, visit=visit, data=jpeg(), filename="IMG_1.jpg", client_key="k1"
    )
    again, created_again = services.photo_add(
        actor=inspector, visit=visit, data=jpeg(), filename="IMG_1.jpg", client_key="k1"
    )
    assert created and not created_again and again == photo
    assert VisitPhoto.objects.count() == 1
    with photo.file.open("rb") as f, Image.open(f) as image:
        assert image.format == "JPEG"
        assert not image.getexif()  # no GPS, no maker, nothing


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ" + b"\0" * 100, "photo.jpg", "可执行程序"),
        (b"%PDF-1.4 hello", "photo.jpg", "不符"),
        (jpeg(), "photo.pdf", "只接受 JPEG 或 PNG"),
        (jpeg() + b"<html>hidden</html>", "photo.jpg", None),
        (b"\xff\xd8\xff\xe0" + b"\0" * 50, "photo.jpg", None),
    ],
)
def test_a_photo_that_is_not_a_real_image_is_refused(data, name, message):
    with pytest.raises(EvidenceRefused, match=message):
        check_photo(data, name)


def test_an_oversized_photo_is_refused(settings):
    settings.SUPERVISION_PHOTO_MAX_BYTES = 1000
    with pytest.raises(EvidenceRefused, match="照片过大"):
        check_photo(jpeg(size=(400, 400)) + b"", "big.jpg")


def test_a_visit_date_before_any_year_data_may_be_entered_for_is_refused(inspector, school_a, kind):
    first, _ = school_year_bounds(min(upload_years()))
    with pytest.raises(ValidationError, match=f"督导日期不能早于 {first:%Y-%m-%d}"):
        services.visit_create(
            actor=inspector, school=school_a, kind=kind, visited_on=dt.date(1900, 1, 1)
        )
    assert services.visit_create(actor=inspector, school=school_a, kind=kind, visited_on=first)
