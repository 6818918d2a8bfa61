import pytest

from ruraledu.spreadsheets.base import IMPORTERS

from .importer import SPEC, DepartmentImporter


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and error copies go to a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def department_importer(monkeypatch):
    monkeypatch.setitem(IMPORTERS, SPEC.kind, DepartmentImporter)
    return DepartmentImporter
