"""Every purpose the code writes to the access log has a name on the bureau's page, and a
partner list's child reads as that child, whether or not the roster holds them."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

import ruraledu
from ruraledu.audit.personal_access import PURPOSES
from ruraledu.care.choices import ListKind
from ruraledu.care.models import ListEntry
from ruraledu.core.models import PersonalDataAccess
from ruraledu.students.models import StudentPerson

URL = reverse("audit:personal_access_list")
ROOT = Path(ruraledu.__file__).parent


def _sources():
    for path in ROOT.rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield ast.parse(path.read_text(encoding="utf-8"))


def _name(func) -> str:
    return getattr(func, "id", None) or getattr(func, "attr", "")


def logged_purposes() -> set[str]:
    """The purpose literals passed to any function or class taking a `purpose` argument."""
    trees = list(_sources())
    takers: dict[str, int] = {}  # callable -> position of `purpose` among its arguments
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                init = next((n for n in node.body if getattr(n, "name", "") == "__init__"), None)
                names = [a.arg for a in init.args.args[1:]] if init else []
            elif isinstance(node, ast.FunctionDef):
                names = [a.arg for a in node.args.args if a.arg not in ("self", "cls")]
                names += [a.arg for a in node.args.kwonlyargs]
            else:
                continue
            if "purpose" in names:
                takers[node.name] = names.index("purpose")
    found = set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _name(node.func) not in takers:
                continue
            args = [k.value for k in node.keywords if k.arg == "purpose"]
            position = takers[_name(node.func)]
            args += node.args[position : position + 1]
            found |= {a.value for a in args if isinstance(a, ast.Constant)}
    return found


def test_every_logged_purpose_has_a_chinese_name():
    purposes = logged_purposes()
    # the walk does find the callers (guards against it silently finding nothing)
    assert {"roster_list", "case_list", "inclusion_unplaced", "leftbehind_list"} <= purposes
    assert sorted(purposes - PURPOSES.keys()) == []


def test_the_page_names_the_inclusion_reads(client, district_admin, school_clerk):
    PersonalDataAccess.objects.create(
        user=school_clerk, subject="care.listentry:999999", purpose="inclusion_home_list"
    )
    client.force_login(district_admin)
    body = client.get(URL).content.decode()
    assert "<td>送教上门名单</td>" in body
    filtered = client.get(URL, {"purpose": "leftbehind_list"})
    assert filtered.status_code == 200
    assert filtered.context["filters"].is_valid()


def _listed(name: str, number: str, village) -> ListEntry:
    entry = ListEntry(name=name, sex="1", kind=ListKind.DISABLED, year=2025)
    entry.village, entry.town = village, village
    entry.set_id_number(number)
    entry.save()
    return entry


@pytest.fixture
def entries(town_a):
    return _listed("王小军", "370302201506010013", town_a), _listed(
        "周小梅", "370302201507010027", town_a
    )


def test_list_entries_read_as_their_child(client, district_admin, school_clerk, entries):
    outside, enrolled = entries
    person = StudentPerson(name="周小梅", sex="2")
    person.set_id_number("370302201507010027")
    person.save()
    for subject in (
        f"care.listentry:{outside.pk}",
        f"care.listentry:{enrolled.pk}",
        "care.listentry:999999",
    ):
        PersonalDataAccess.objects.create(
            user=school_clerk, subject=subject, purpose="inclusion_list"
        )
    client.force_login(district_admin)
    rows = client.get(URL).context["rows"]
    shown = {e.subject: (s.text, s.masked_id, s.child) for e, s in rows}
    assert shown[f"care.listentry:{outside.pk}"] == (
        f"王小军（名单记录 #{outside.pk}）",
        outside.masked_id,
        None,
    )
    assert shown[f"care.listentry:{enrolled.pk}"] == (
        f"周小梅（名单记录 #{enrolled.pk}）",
        person.masked_id,
        person.pk,
    )
    assert shown["care.listentry:999999"][0] == "名单记录 #999999（记录已不存在）"
