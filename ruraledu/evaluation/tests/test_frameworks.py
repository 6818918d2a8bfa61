"""Both frameworks loaded from the reference files: every item once, refreshable, thresholds
the bureau edited kept, edits audited."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.http import Http404

from ruraledu.audit.models import AuditEvent
from ruraledu.evaluation.choices import Comparator, Framework, ItemKind
from ruraledu.evaluation.frameworks import frameworks_load
from ruraledu.evaluation.models import EvaluationItem
from ruraledu.evaluation.services import item_threshold_set

from .conftest import item


def test_it_loads_every_item_of_both_frameworks(db):
    # when
    created, updated = frameworks_load()
    # then: 优质均衡 R0 (the per-school rule) + R1–R7 + 15 政府保障 + 9 教育质量 + S01 + V01;
    # 普及普惠 P1–P3, G1–G4, Q1–Q4, S1
    assert (created, updated) == (46, 0)
    yzjh = EvaluationItem.objects.filter(framework=Framework.YZJH)
    assert yzjh.count() == 34
    assert yzjh.filter(part="政府保障程度").count() == 15
    assert yzjh.filter(part="教育质量").count() == 9
    assert yzjh.filter(part="资源配置").count() == 8
    assert EvaluationItem.objects.filter(framework=Framework.XQPJPH).count() == 12
    veto = item(Framework.YZJH, "V01")
    assert (veto.kind, veto.comparator) == (ItemKind.VETO, Comparator.JUDGED)
    g10 = item(Framework.YZJH, "G10")
    assert (g10.threshold, g10.second_threshold) == (10.0, 20.0)
    assert item(Framework.YZJH, "G04").indicator_code == "evaluation_school_size_rate"
    assert item(Framework.XQPJPH, "Q4").provisional is True  # marked UNCERTAIN in the file
    assert item(Framework.XQPJPH, "P1").provisional is False
    assert item(Framework.XQPJPH, "G1").kind == ItemKind.EVIDENCE


def test_it_adds_nothing_when_loaded_again(db):
    frameworks_load()
    call_command("load_evaluation_frameworks")
    assert frameworks_load() == (0, 0)
    assert EvaluationItem.objects.count() == 46


def test_a_threshold_the_bureau_edited_survives_a_refresh_and_is_audited(
    frameworks, district_admin
):
    # given
    g13 = item(Framework.YZJH, "G13")
    # when
    item_threshold_set(item=g13, actor=district_admin, threshold=60.0, provisional=True)
    frameworks_load()
    # then
    g13.refresh_from_db()
    assert (g13.threshold, g13.provisional, g13.edited) == (60.0, True, True)
    event = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(EvaluationItem), object_id=str(g13.pk)
    )
    assert event.before["threshold"] == 50.0
    assert event.after["threshold"] == 60.0


def test_a_town_officer_cannot_edit_a_threshold(frameworks, town_officer):
    g13 = item(Framework.YZJH, "G13")
    with pytest.raises(Http404):
        item_threshold_set(item=g13, actor=town_officer, threshold=1.0, provisional=False)
    g13.refresh_from_db()
    assert g13.threshold == 50.0
