"""Summing columns up the org tree in place: each unit's total is its own value plus its
descendants', and the roll-up of dicts per unit agrees with it."""

from types import SimpleNamespace

from ruraledu.indicators.engine import YearContext

# district 1 > towns 2, 3 > schools 4, 5 (town 2) and 6 (town 3) > campus 7 (school 4)
PARENT = {1: None, 2: 1, 3: 1, 4: 2, 5: 2, 6: 3, 7: 4}
DEPTH = {1: 0, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 3}


def context() -> YearContext:
    ctx = YearContext.__new__(YearContext)  # only the tree is needed
    ctx.tree = SimpleNamespace(parent=PARENT, depth=DEPTH)
    return ctx


def test_columns_are_summed_into_every_ancestor_once():
    pupils = {4: 10, 5: 20, 6: 5, 7: 3}
    rooms = {4: 1.0, 5: 2.0, 6: 0.5, 7: 0.25}
    units = context().sum_up([4, 5, 6, 7], [pupils, rooms])
    assert sorted(units) == [1, 2, 3, 4, 5, 6, 7]
    assert pupils == {4: 13, 5: 20, 6: 5, 7: 3, 2: 33, 3: 5, 1: 38}
    assert rooms[1] == 3.75 and rooms[2] == 3.25 and rooms[4] == 1.25


def test_a_unit_given_with_its_descendants_keeps_its_own_value_too():
    column = {2: 100, 4: 1}
    assert sorted(context().sum_up([2, 4], [column])) == [1, 2, 4]
    assert column == {2: 101, 4: 1, 1: 101}


def test_the_roll_up_per_unit_gives_the_same_sums():
    base = {4: {"n": 10.0, "d": 1.0}, 5: {"n": 20.0, "d": 2.0}, 7: {"n": 3.0, "d": 4.0}}
    rolled = context().roll_up(base)
    columns = {name: {u: parts[name] for u, parts in base.items()} for name in ("n", "d")}
    units = context().sum_up(list(base), list(columns.values()))
    assert set(rolled) == set(units)
    for unit in units:
        assert dict(rolled[unit]) == {name: columns[name][unit] for name in columns}
