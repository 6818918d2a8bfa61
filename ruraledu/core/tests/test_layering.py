"""The apps' layering, read from the source: core knows no domain app, and a plan is data that
knows nothing of how its indicators are computed or shown.

The rule covers every non-test module (tests may import anything to set up a case; core's own
tests test only core)."""

import ast
from pathlib import Path

import pytest

APPS = Path(__file__).resolve().parents[2]  # the ruraledu package


def imported_apps(app: str) -> dict[str, set[str]]:
    """Module (relative path) -> the other `ruraledu` apps it imports, at any depth of the code
    (function-level imports count), tests excluded."""
    found: dict[str, set[str]] = {}
    for path in sorted((APPS / app).rglob("*.py")):
        relative = path.relative_to(APPS)
        if "tests" in relative.parts:
            continue
        package = ["ruraledu", *relative.parts[:-1]]
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: resolve against the module's package
                    base = package[: len(package) - node.level + 1]
                    module = ".".join([*base, node.module] if node.module else base)
                else:
                    module = node.module or ""
                names.add(module)
                # `from ruraledu import students` names the app in the alias
                if module == "ruraledu":
                    names.update(f"ruraledu.{alias.name}" for alias in node.names)
        apps = {
            name.split(".")[1]
            for name in names
            if name.startswith("ruraledu.") and name.split(".")[1] != app
        }
        if apps:
            found[str(relative)] = apps
    return found


def test_the_reader_sees_function_level_and_relative_imports(tmp_path, monkeypatch):
    # given a throwaway app importing upwards inside a function and through `..`
    app = tmp_path / "probe"
    app.mkdir()
    (app / "module.py").write_text(
        "from ..students import models\n"
        "def f():\n"
        "    from ruraledu.indicators.engine import REGISTRY\n"
        "    import ruraledu.dashboards.selectors\n"
    )
    (app / "tests").mkdir()
    (app / "tests" / "test_x.py").write_text("import ruraledu.audit\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["APPS"]), "APPS", tmp_path)
    # then every one is found, and the tests are left out
    assert imported_apps("probe") == {"probe/module.py": {"students", "indicators", "dashboards"}}


def test_core_imports_no_other_app():
    assert imported_apps("core") == {}


@pytest.mark.parametrize("forbidden", ["indicators", "dashboards"])
def test_plans_import_neither_indicators_nor_dashboards(forbidden):
    offending = {m: apps for m, apps in imported_apps("plans").items() if forbidden in apps}
    assert offending == {}
