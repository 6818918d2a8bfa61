from pathlib import Path

import pytest
from django.conf import settings

from ruraledu.plans.loader import load_plan

PLAN_FILE = Path(settings.BASE_DIR) / "plans" / "zichuan-2023.yaml"
SEED_TEXT = Path(settings.BASE_DIR) / "plans" / "sources" / "淄川区推进乡村教育振兴工作方案.txt"


@pytest.fixture
def zichuan_plan(db):
    load_plan(PLAN_FILE)
    from ruraledu.plans.models import Plan

    return Plan.objects.get(code="zichuan-2023")
