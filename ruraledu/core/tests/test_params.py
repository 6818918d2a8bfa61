"""A whole-number parameter: digits give the number; anything else, or a number too long for
an id, is as none given."""

import pytest

from ruraledu.core.params import int_param


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7), ("0042", 42), ("999999999", 999999999)],
)
def test_digits_give_the_number(value, expected):
    assert int_param(value) == expected


@pytest.mark.parametrize("value", [None, "", " 7", "-1", "1.5", "abc", "1234567890", "²", "٣"])
def test_anything_else_is_none(value):
    assert int_param(value) is None
