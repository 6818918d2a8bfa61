"""留守与困境儿童关爱: children on the care list (留守、孤儿、事实无人抚养、困境 flags on the
year's enrolment) without a contact this term, and the share contacted. Computed on the
roster (one scan shared with the other enrolment indicators); drilled into as the roster's
records, names masked and the care categories hidden unless the role may see personal data
at the school."""

from django.db.models import Q

from ruraledu.leftbehind.choices import cared_for
from ruraledu.leftbehind.selectors import contacted_here
from ruraledu.leftbehind.terms import as_of

from ..engine import Indicator, count, register
from .common import ALL_SCHOOLS, ENROLMENT


def contacted(year: int) -> Q:
    """A contact with the child by the child's school in the term holding the day the figure
    describes (the year's last day, or today while the year runs), up to that day."""
    return Q(contacted_here(as_of(year)))


def not_contacted(year: int) -> Q:
    return cared_for() & ~contacted(year)


class CareListIndicator(Indicator):
    scope = ALL_SCHOOLS
    requires = (ENROLMENT,)


@register
class LeftBehindWithoutContact(CareListIndicator):
    code = "left_behind_no_contact_count"
    name = "留守和困境儿童本学期未联系人数"
    definition = (
        "本学年学籍标记为留守儿童、孤儿、事实无人抚养或困境儿童的学生中，本学期（学年末按第二学期，"
        "当前学年按今天所在学期，截至当日）没有学籍所在学校记录的谈心、家访、电话或视频联系的人数；计入学籍所在学校"
        "（转学前原学校的联系不计）。"
        "应逐步降为 0。"
    )
    unit = "人"
    higher_is_better = False
    numerator = count(ENROLMENT, not_contacted)
    numerator_label = "本学期未联系的儿童"


@register
class LeftBehindContactRate(CareListIndicator):
    code = "left_behind_contact_rate"
    name = "留守和困境儿童本学期联系率"
    definition = (
        "本学年学籍标记为留守儿童、孤儿、事实无人抚养或困境儿童的学生中，本学期（口径同上）有学籍所在"
        "学校记录的谈心、家访、电话或视频联系的人数 ÷ 上述学生人数。"
    )
    numerator = count(ENROLMENT, lambda year: cared_for() & contacted(year))
    denominator = count(ENROLMENT, cared_for())
    numerator_label = "本学期已联系的儿童"
    denominator_label = "留守和困境儿童"
