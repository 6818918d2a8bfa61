"""Items of the two evaluations read from the staff roster: 优质均衡 G08 (5 年 360 学时),
G10 (交流轮岗), G11 (持证上岗) and 普及普惠 Q3 (园长、专任教师持证上岗).

交流轮岗 counts the teachers eligible at the end of the previous year by the planning app's own
rule (years at the same school, `planning.rotation`), each at the school they served then; those
whose post this year is marked 交流轮岗 at another school have rotated.
"""

from django.db.models import Q

from ruraledu.core.bulk import chunked
from ruraledu.workforce.choices import Honour, Position

from ..engine import Indicator, count, define, register
from .common import COMPULSORY, POSTS
from .preschool import ALL_KG

TEACHER = Q(is_full_time_teacher=True)
TRAINING_HOURS = 360  # 5 年一周期不少于 360 学时

define(
    "evaluation_training_hours_rate",
    "教师 5 年 360 学时培训完成率",
    f"义务教育学校（含校区）专任教师中近五年培训学时不少于 {TRAINING_HOURS} 学时的人数 ÷ 专任教师数。",
    COMPULSORY,
    count(POSTS, TEACHER & Q(training_hours_5y__gte=TRAINING_HOURS)),
    count(POSTS, TEACHER),
    requires=(POSTS,),
    numerator_label="完成 360 学时的专任教师",
    denominator_label="专任教师",
)
define(
    "evaluation_certificate_rate",
    "义务教育专任教师持证上岗率",
    "义务教育学校（含校区）专任教师中持有教师资格证的人数 ÷ 专任教师数。",
    COMPULSORY,
    count(POSTS, TEACHER & Q(has_certificate=True)),
    count(POSTS, TEACHER),
    requires=(POSTS,),
    numerator_label="持证专任教师",
    denominator_label="专任教师",
)
KG_STAFF = TEACHER | Q(position=Position.KG_PRINCIPAL)
define(
    "xqpjph_q3",
    "幼儿园园长、专任教师持证上岗率",
    "幼儿园（含分园）园长和专任教师中持有相应资格证的人数 ÷ 园长和专任教师数。",
    ALL_KG,
    count(POSTS, KG_STAFF & Q(has_certificate=True)),
    count(POSTS, KG_STAFF),
    requires=(POSTS,),
    numerator_label="持证园长和专任教师",
    denominator_label="园长和专任教师",
)


def rotation_people(year: int) -> list[dict]:
    """Every teacher eligible for 交流轮岗 at the end of `year - 1`: their school then, years
    there, whether a 骨干 and whether they rotated this year (to which school). Three queries."""
    from ruraledu.planning.rotation import RULES, years_at_school
    from ruraledu.workforce.models import Post

    chains = years_at_school(year - 1)
    eligible = {
        person: (post, years)
        for person, (post, years, _) in chains.items()
        if years >= RULES["min_years"]
    }
    now: dict[int, tuple] = {}
    # in chunks: a city's eligible teachers pass SQLite's limit on parameters per statement
    for chunk in chunked(list(eligible)):
        for person, school, rotated in Post.objects.filter(
            year=year, person_id__in=chunk
        ).values_list("person_id", "school_id", "rotated"):
            # a teacher posted at two schools rotated if any post says so
            if person not in now or rotated:
                now[person] = (school, rotated)
    people = []
    for person, (post, years) in eligible.items():
        if person not in now:
            continue  # retired or left the district: no longer to rotate
        school, rotated = now[person]
        people.append(
            {
                "post": post,
                "unit": post.school_id,
                "years": years,
                "backbone": post.honour != Honour.NONE,
                "rotated": bool(rotated and school != post.school_id),
                "now": school,
            }
        )
    return people


class RotationRate(Indicator):
    code = "evaluation_rotation_rate"
    name = "交流轮岗教师占符合交流条件教师比例"
    definition = (
        "本学年交流轮岗到其他学校的教师数 ÷ 上一学年末符合交流条件的专任教师数（同校连续任教满 6 年，"
        "规则同“走教与交流轮岗”页面；本学年已不在任的不计）；按教师上一学年所在学校统计，"
        "同时在两所学校任职的教师计一人，计在连续任教年数最长的学校。"
    )
    scope = COMPULSORY
    numerator_label, denominator_label = "交流轮岗教师", "符合交流条件教师"
    parts = ("rotated", "eligible")

    def measures(self):
        return {}

    def base(self, ctx) -> dict[int, dict]:
        if "rotation" not in ctx.cache:
            in_scope = ctx.scope_units(self.scope)
            base: dict[int, dict] = {}
            for p in rotation_people(ctx.year):
                if p["unit"] not in in_scope:
                    continue
                parts = base.setdefault(
                    p["unit"], {"eligible": 0.0, "rotated": 0.0, "backbone": 0.0}
                )
                parts["eligible"] += 1
                parts["rotated"] += p["rotated"]
                parts["backbone"] += p["rotated"] and p["backbone"]
            ctx.cache["rotation"] = ctx.roll_up(base)
        return ctx.cache["rotation"]

    def values(self, ctx):
        top, bottom = self.parts
        return {
            unit: (s[top] / s[bottom] * 100, s[top], s[bottom], {})
            for unit, s in self.base(ctx).items()
            if s[bottom]
        }


class RotationBackboneRate(RotationRate):
    code = "evaluation_rotation_backbone_rate"
    name = "骨干教师占交流轮岗教师比例"
    definition = (
        "交流轮岗教师中县级以上骨干教师（含名师、学科带头人等称号）人数 ÷ 交流轮岗教师数；"
        "交流轮岗教师的口径同“交流轮岗教师占符合交流条件教师比例”。"
    )
    numerator_label, denominator_label = "交流轮岗的骨干教师", "交流轮岗教师"
    parts = ("backbone", "rotated")


register(RotationRate)
register(RotationBackboneRate)
