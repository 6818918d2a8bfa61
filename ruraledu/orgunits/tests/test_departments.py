import pytest

from ruraledu.orgunits.departments import DepartmentMatcher
from ruraledu.orgunits.models import Department


@pytest.fixture
def matcher():
    return DepartmentMatcher(
        [
            Department(
                code="education",
                name="区教体局",
                full_name="淄川区教育和体育局",
                aliases=["区教育局", "区委教育工委"],
            ),
            Department(code="publicity", name="区委宣传部", aliases=["区文明办"]),
            Department(code="health", name="区卫生健康局", aliases=["区卫健局", "区卫生健康委"]),
        ]
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("区教体局", "区教体局"),
        ("区教育局", "区教体局"),
        ("淄川区教育和体育局", "区教体局"),
        ("区教体局（区委教育工委）", "区教体局"),
        ("区委宣传部（区文明办）", "区委宣传部"),
        ("区委宣传部(区文明办)", "区委宣传部"),
        ("区文明办", "区委宣传部"),
        ("区卫健局", "区卫生健康局"),
        (" 区卫生健康委。", "区卫生健康局"),
    ],
)
def test_it_matches_names_aliases_and_variants(matcher, written, expected):
    assert matcher.match(written).name == expected


def test_it_answers_none_for_an_unknown_name(matcher):
    assert matcher.match("区气象局") is None
