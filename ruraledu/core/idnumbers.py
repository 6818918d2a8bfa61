"""Checks for Chinese identifiers (GB 11643 resident ID, 学籍号, 统一社会信用代码).

The resident-ID check is our own because imports run it 100,000 times per roster and
python-stdnum's `cn.ric` costs ~22 µs a call; the tests hold it to agree with stdnum.
"""

import datetime as dt
from functools import lru_cache

from stdnum import exceptions
from stdnum.cn import uscc

_CHECK = "10X98765432"


# what a typed ID number may carry besides its characters: spaces (also full-width) between
# groups, full-width digits and letters from a Chinese input method
_TYPED = {0x3000: None, 0x20: None, 0x09: None, 0xA0: None}
_TYPED.update({0xFF10 + d: ord("0") + d for d in range(10)})
_TYPED.update({0xFF21 + i: ord("A") + i for i in range(26)})
_TYPED.update({0xFF41 + i: ord("A") + i for i in range(26)})


def id_text(text: str) -> str:
    """An ID number as typed, in the form it is checked and stored in: 'G370302 2017…',
    '３７０３…x' and '370302201704010308' are the same number."""
    if text.isascii() and " " not in text and "\t" not in text:
        return text.upper()  # the usual cell: nothing to translate
    return text.translate(_TYPED).upper()


@lru_cache(maxsize=65536)
def _valid_date(text: str) -> bool:
    try:
        day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= day <= dt.date.today()


def resident_id_problem(value: str) -> str | None:
    """None when `value` is a valid 18-digit resident ID number, else the rule it breaks."""
    if len(value) != 18:
        return f"身份证号应为 18 位，实际 {len(value)} 位"
    body = value[:17]
    if not (body.isascii() and body.isdigit()) or value[17] not in "0123456789X":
        return "身份证号格式错误（应为 17 位数字加 1 位数字或 X）"
    if not _valid_date(value[6:14]):
        return "身份证号中的出生日期无效"
    if check_character(body) != value[17]:
        return "身份证号校验位错误（GB 11643）"
    return None


def check_character(body: str) -> str:
    """The GB 11643 check character of 17 digits. The weights are 2**(17-i) mod 11 and
    13 = 2 (mod 11), so twice the digits read as a base-13 number leaves the weighted sum's
    remainder: one C call instead of seventeen multiplications."""
    return _CHECK[2 * int(body, 13) % 11]


def student_no_problem(value: str) -> str | None:
    """全国学籍号: G/J/L followed by the student's resident ID number."""
    if len(value) == 19 and value[0] in "GJL":
        problem = resident_id_problem(value[1:])
        return None if problem is None else f"学籍号中的身份证号部分有误：{problem}"
    return "学籍号格式错误（应为 G、J 或 L 加 18 位身份证号）"


def birth_date_from_id(value: str) -> dt.date | None:
    return _date_of(value[-12:-4])


@lru_cache(maxsize=65536)  # a roster holds a few thousand distinct birth dates
def _date_of(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def credit_code_problem(value: str) -> str | None:
    try:
        uscc.validate(value)
    except exceptions.ValidationError:
        return "统一社会信用代码无效（GB 32100）"
    return None


def make_resident_id(region: str, birth: dt.date, sequence: int) -> str:
    """A well-formed resident ID (for demo data and tests): region, birth date, sequence, check."""
    body = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + check_character(body)
