"""Evaluation fixtures on top of the shared personas: both frameworks loaded, and the 2025
evaluation of each."""

import pytest

from ruraledu.evaluation.choices import Framework
from ruraledu.evaluation.frameworks import frameworks_load
from ruraledu.evaluation.models import EvaluationItem
from ruraledu.evaluation.services import evaluation_get_or_create

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
YEAR = 2025


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def frameworks(db):
    frameworks_load()


@pytest.fixture
def yzjh(frameworks, district):
    return evaluation_get_or_create(unit=district, framework=Framework.YZJH, year=YEAR)


@pytest.fixture
def xqpjph(frameworks, district):
    return evaluation_get_or_create(unit=district, framework=Framework.XQPJPH, year=YEAR)


def item(framework: str, code: str) -> EvaluationItem:
    return EvaluationItem.objects.get(framework=framework, code=code)
