import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from ruraledu.core.idnumbers import (
    birth_date_from_id,
    credit_code_problem,
    make_resident_id,
    resident_id_problem,
    student_no_problem,
)


def test_a_valid_id_passes_and_its_birth_date_is_read():
    number = make_resident_id("370302", dt.date(2015, 3, 9), 123)
    assert resident_id_problem(number) is None
    assert birth_date_from_id(number) == dt.date(2015, 3, 9)


def test_each_rule_has_its_own_message():
    good = make_resident_id("370302", dt.date(2015, 3, 9), 123)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert resident_id_problem(wrong_check) == "身份证号校验位错误（GB 11643）"
    assert resident_id_problem(good[:17]) == "身份证号应为 18 位，实际 17 位"
    assert (
        resident_id_problem("3703022015A309123" + "X")
        == "身份证号格式错误（应为 17 位数字加 1 位数字或 X）"
    )
    assert resident_id_problem("370302" + "20151309" + "1234") == "身份证号中的出生日期无效"


def test_student_numbers_wrap_an_id():
    number = make_resident_id("370302", dt.date(2015, 3, 9), 5)
    assert student_no_problem("G" + number) is None
    assert "学籍号格式错误" in student_no_problem(number)


def test_credit_codes():
    assert credit_code_problem("91110000600037341L") is None
    assert credit_code_problem("91110000600037341X") == "统一社会信用代码无效（GB 32100）"


BIRTHS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2024, 12, 31))


@given(BIRTHS, st.integers(0, 999))
def test_generated_ids_are_valid_for_stdnum_and_for_us(birth, sequence):
    number = make_resident_id("370302", birth, sequence)
    assert ric.is_valid(number)
    assert resident_id_problem(number) is None


# Region and year are left alone: python-stdnum also checks that the region existed then.
@given(BIRTHS, st.integers(0, 999), st.integers(10, 17), st.sampled_from("0123456789X"))
def test_our_fast_check_agrees_with_python_stdnum(birth, sequence, position, char):
    # given a valid number with one character changed
    number = make_resident_id("370302", birth, sequence)
    changed = number[:position] + char + number[position + 1 :]
    # then we accept it exactly when python-stdnum does
    assert (resident_id_problem(changed) is None) == ric.is_valid(changed)
