"""走教 MILP on hand-made areas whose optimum is worked out by hand."""

from ruraledu.planning.travel import travel_solve

# school 1 has two music teachers; 2 lacks 4 lessons, 3 lacks 6; 1–2 is 5 km, 1–3 is 10 km
SCHOOLS = [
    {"unit": 1, "name": "中心校", "needs": {}},
    {"unit": 2, "name": "甲村小学", "needs": {"music": 4}},
    {"unit": 3, "name": "乙村小学", "needs": {"music": 6}},
]
TEACHERS = [
    {"id": 11, "name": "王老师", "subject": "music", "home": 1, "spare": 8},
    {"id": 12, "name": "李老师", "subject": "music", "home": 1, "spare": 4},
]


def _inputs(**changes):
    return {
        "per_day": 4,
        "km_cap": 100,
        "default_km": 8,
        "distances": {(1, 2): 5, (1, 3): 10},
        "locks": {},
        "time_limit": 10,
        **changes,
    }


def test_known_feasible_assignment_covers_everything_at_least_travel():
    result = travel_solve(SCHOOLS, TEACHERS, _inputs())
    assert result["feasible"] and result["uncovered"] == []
    assert result["need"] == result["covered"] == 10
    # 乙 needs two visits whoever goes (4 lessons a visit): 1 × 10 km + 2 × 20 km
    assert result["km"] == 50
    taught = {}
    for a in result["assignments"]:
        taught[a["unit"]] = taught.get(a["unit"], 0) + a["lessons"]
        assert a["lessons"] <= 4 * a["visits"]
    assert taught == {2: 4, 3: 6}
    for t in TEACHERS:
        assert (
            sum(a["lessons"] for a in result["assignments"] if a["teacher"] == t["id"])
            <= t["spare"]
        )


def test_short_capacity_leaves_lessons_uncovered_and_says_so():
    result = travel_solve(SCHOOLS, TEACHERS[:1], _inputs())
    assert result["covered"] == 8
    assert sum(u["lessons"] for u in result["uncovered"]) == 2
    assert "仍有 2 节无人可派" in result["message"]


def test_travel_cap_binds():
    # 30 km a week: 甲 (10 km a visit) three times at most, 乙 (20 km) once
    result = travel_solve(SCHOOLS, TEACHERS, _inputs(km_cap=20))
    for t in TEACHERS:
        assert sum(a["km"] for a in result["assignments"] if a["teacher"] == t["id"]) <= 20
    assert result["covered"] == 8  # one visit each: 4 at 甲, 4 at 乙


def test_infeasible_locks_get_a_chinese_message():
    over_spare = travel_solve(SCHOOLS, TEACHERS, _inputs(locks={(12, 3): 6}))
    assert not over_spare["feasible"] and over_spare["assignments"] == []
    assert "无可行的走教安排" in over_spare["message"]
    over_cap = travel_solve(SCHOOLS, TEACHERS, _inputs(km_cap=30, locks={(11, 3): 8}))
    assert not over_cap["feasible"]


def test_locks_are_kept_and_the_rest_is_solved_again():
    result = travel_solve(SCHOOLS, TEACHERS, _inputs(locks={(12, 2): 4, (11, 2): 0}))
    by_pair = {(a["teacher"], a["unit"]): a for a in result["assignments"]}
    assert by_pair[(12, 2)]["lessons"] == 4 and by_pair[(12, 2)]["locked"]
    assert by_pair[(11, 2)]["lessons"] == 0 and by_pair[(11, 2)]["locked"]
    assert by_pair[(11, 3)]["lessons"] == 6
    # forbidding 王老师 at 乙 leaves 李老师's 4 lessons there and 2 uncovered
    result = travel_solve(SCHOOLS, TEACHERS, _inputs(locks={(11, 3): 0}))
    assert [(u["unit"], u["lessons"]) for u in result["uncovered"]] == [(3, 2)]


def test_nothing_to_do():
    result = travel_solve(SCHOOLS[:1], TEACHERS, _inputs())
    assert not result["feasible"] and "无需走教" in result["message"]
