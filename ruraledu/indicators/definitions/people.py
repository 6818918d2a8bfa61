"""Students and staff: shares over enrolments and posts (a person with two posts counts at each
school where they hold a post, so towns and the district add up)."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from ruraledu.activities.choices import LessonKind, Level, Programme, TrainingKind
from ruraledu.activities.models import (
    CityTrip,
    LessonObservation,
    PublicLesson,
    SchoolLink,
    Training,
)
from ruraledu.orgunits.rural import rural_codes
from ruraledu.students.choices import SERVED_TRANSPORT
from ruraledu.supervision.conf import observations_per_semester
from ruraledu.workforce.choices import LEADER_POSITIONS, Degree, Honour

from ..drilldown import COLUMNS
from ..engine import Source, count, define
from .common import (
    ALL_SCHOOLS,
    ENROLMENT,
    INTERNS,
    NOMINATIONS,
    POSTS,
    RURAL_COMPULSORY,
    RURAL_KINDERGARTENS,
    RURAL_SCHOOLS,
    TOWN_PUBLIC_KINDERGARTENS,
)

# ---------------------------------------------------------------- students

STUDENTS = count(ENROLMENT)

define(
    "rural_student_mentor_rate",
    "乡村学生成长导师覆盖率",
    "已确定成长导师的乡村学校在校生数 ÷ 乡村学校在校生数。",
    RURAL_SCHOOLS,
    count(ENROLMENT, Q(mentor__isnull=False)),
    STUDENTS,
    requires=(ENROLMENT,),
    numerator_label="有成长导师的学生数",
    denominator_label="学生数",
)
define(
    "school_lunch_served_rate",
    "有在校就餐需求学生供餐保障率",
    "在校午餐已保障的有就餐需求学生数 ÷ 有在校就餐需求的学生数（乡村学校）。",
    RURAL_SCHOOLS,
    count(ENROLMENT, Q(lunch_needed=True, lunch_served=True)),
    count(ENROLMENT, Q(lunch_needed=True)),
    requires=(ENROLMENT,),
    numerator_label="已保障学生数",
    denominator_label="有需求学生数",
)

FAR_DAY = Q(boarding=False, distance_km__gt=2)
define(
    "rural_day_student_transport_rate",
    "2公里以上乡村走读学生乘车服务率",
    "家校距离超过 2 公里、乘坐校车或乡村公交的乡村走读学生数 ÷ 家校距离超过 2 公里的乡村走读学生数。",
    RURAL_SCHOOLS,
    count(ENROLMENT, FAR_DAY & Q(transport__in=SERVED_TRANSPORT)),
    count(ENROLMENT, FAR_DAY),
    requires=(ENROLMENT,),
    numerator_label="已乘车学生数",
    denominator_label="2公里以上走读学生数",
)


def _travelled_in_stage(year: int) -> Q:
    """Grade 6 with a trip in the primary years (this and the 5 before), grade 9 in the
    junior years (this and the 2 before)."""
    # The trip's first year from the row's grade: 6 -> year - 5, 9 -> year - 2. As one
    # condition of the scan's WHERE, the database joins the trips once (a semi-join); as a
    # count's FILTER inside the enrolment scan it probed two IN-sets for millions of rows and
    # took half that scan's time (province: 3 of 6 s).
    trips = CityTrip.participants.through.objects.filter(
        studentperson_id=OuterRef("person_id"),
        citytrip__year__gte=OuterRef("grade") + (year - 11),
        citytrip__year__lte=year,
    )
    return Q(grade__in=(6, 9)) & Q(Exists(trips))


# the enrolments of the year counted by the trip rate, scanned apart (see above)
TRAVELLED = Source(
    "enrolment_travelled",
    ENROLMENT.model,
    ENROLMENT.unit,
    label=ENROLMENT.label,
    base=_travelled_in_stage,
)
COLUMNS[TRAVELLED.key] = COLUMNS[ENROLMENT.key]  # drilled into as the enrolments they are


define(
    "rural_student_city_trip_rate",
    "乡村学生学段内进城拓展视野覆盖率",
    "本学年六年级、九年级乡村学生中，本学段内至少参加过 1 次进城研学的人数 ÷ 本学年六年级、九年级乡村学生数。",
    RURAL_SCHOOLS,
    count(TRAVELLED),
    count(ENROLMENT, Q(grade__in=(6, 9))),
    requires=(ENROLMENT,),
    numerator_label="参加过进城研学的毕业年级学生数",
    denominator_label="毕业年级学生数",
)

# priority_student_aid_rate (资助 应助尽助) is defined with the aid rules in aid.py

# ---------------------------------------------------------------- staff

TEACHERS = count(POSTS, Q(is_full_time_teacher=True))
BACHELOR = (Degree.POSTGRADUATE, Degree.BACHELOR)


def _under_45(year: int) -> Q:
    # 45 周岁以下 on 1 September of the school year
    return Q(position__in=LEADER_POSITIONS, person__birth_date__gt=dt.date(year - 45, 9, 1))


define(
    "rural_principal_under45_rate",
    "乡村学校45岁以下校（园）长占比",
    "学年初（9月1日）未满 45 周岁的乡村学校校长、副校长（含园长、副园长）人数 ÷ 乡村学校校长、副校长总人数。",
    RURAL_SCHOOLS,
    count(POSTS, _under_45),
    count(POSTS, Q(position__in=LEADER_POSITIONS)),
    requires=(POSTS,),
    numerator_label="45岁以下校长人数",
    denominator_label="校长人数",
)

BACKBONE_LEADERS = Q(position__in=LEADER_POSITIONS) & ~Q(honour="")


def _rotation_trained(year: int) -> Q:
    trained = Training.objects.filter(
        kind=TrainingKind.ROTATION,
        level__in=(Level.CITY, Level.COUNTY),
        held_on__gte=dt.date(year - 2, 9, 1),
        held_on__lte=dt.date(year + 1, 8, 31),
    ).values("person_id")
    return BACKBONE_LEADERS & Q(person__in=trained)


define(
    "rural_backbone_principal_training_rate",
    "乡村骨干校（园）长市县级轮训率",
    "近三个学年（培训周期）内有市级或县级轮训记录的乡村骨干校（园）长（有骨干、名校长等称号的校长、副校长）人数 ÷ 乡村骨干校（园）长人数。",
    RURAL_SCHOOLS,
    count(POSTS, _rotation_trained),
    count(POSTS, BACKBONE_LEADERS),
    requires=(POSTS,),
    numerator_label="已轮训人数",
    denominator_label="骨干校长人数",
)

define(
    "rural_compulsory_teacher_bachelor_rate",
    "乡村义务教育学校专任教师本科及以上学历比例",
    "最高学历为本科及以上的乡村中小学专任教师数 ÷ 乡村中小学专任教师数。",
    RURAL_COMPULSORY,
    count(POSTS, Q(is_full_time_teacher=True, degree__in=BACHELOR)),
    TEACHERS,
    requires=(POSTS,),
    numerator_label="本科及以上专任教师数",
    denominator_label="专任教师数",
)
define(
    "rural_kindergarten_teacher_college_rate",
    "乡村幼儿园专任教师专科及以上学历比例",
    "最高学历为专科及以上的乡村幼儿园专任教师数 ÷ 乡村幼儿园专任教师数。",
    RURAL_KINDERGARTENS,
    count(POSTS, Q(is_full_time_teacher=True, degree__in=(*BACHELOR, Degree.COLLEGE))),
    TEACHERS,
    requires=(POSTS,),
    numerator_label="专科及以上专任教师数",
    denominator_label="专任教师数",
)
define(
    "town_public_kindergarten_tenured_teacher_rate",
    "镇公办幼儿园在编教师比例",
    "镇（不含街道）公办幼儿园在编专任教师数 ÷ 专任教师数。",
    TOWN_PUBLIC_KINDERGARTENS,
    count(POSTS, Q(is_full_time_teacher=True, is_establishment=True)),
    TEACHERS,
    requires=(POSTS,),
    numerator_label="在编教师数",
    denominator_label="教师数",
)

POLICY_START = 2023  # the plan was issued in September 2023
NEW_HIRES = Q(is_full_time_teacher=True, hired_year__gte=POLICY_START)
define(
    "new_teacher_bound_appointment_rate",
    "新任职教师城乡聘期捆绑聘用比例",
    f"{POLICY_START} 年及以后入职的专任教师中实行城乡两个聘期捆绑聘用的人数 ÷ 同期入职专任教师数。",
    ALL_SCHOOLS,
    count(POSTS, NEW_HIRES & Q(bound_appointment=True)),
    count(POSTS, NEW_HIRES),
    requires=(POSTS,),
    numerator_label="捆绑聘用人数",
    denominator_label="新任职教师数",
)
define(
    "rural_teacher_dormitory_rate",
    "乡村教师周转宿舍保障率",
    "已安排周转宿舍的有需求乡村教职工数 ÷ 有周转宿舍需求的乡村教职工数。",
    RURAL_SCHOOLS,
    count(POSTS, Q(needs_dormitory=True, has_dormitory=True)),
    count(POSTS, Q(needs_dormitory=True)),
    requires=(POSTS,),
    numerator_label="已安排人数",
    denominator_label="有需求人数",
)
define(
    "rural_teacher_health_check_rate",
    "乡村教师年度健康体检率",
    "本学年已健康体检的乡村学校教职工数 ÷ 乡村学校教职工数。",
    RURAL_SCHOOLS,
    count(POSTS, Q(health_check=True)),
    count(POSTS),
    requires=(POSTS,),
    numerator_label="已体检人数",
    denominator_label="教职工数",
)
define(
    "rural_teacher_township_allowance_rate",
    "乡镇工作补贴发放率",
    "本学年已发放乡镇工作补贴的乡村教职工数 ÷ 符合条件的乡村教职工数。",
    RURAL_SCHOOLS,
    count(POSTS, Q(town_allowance_eligible=True, town_allowance_received=True)),
    count(POSTS, Q(town_allowance_eligible=True)),
    requires=(POSTS,),
    numerator_label="已发放人数",
    denominator_label="符合条件人数",
)

LINK_STAFF = Q(is_researcher=True) | Q(
    honour__in=(Honour.BACKBONE, Honour.FAMOUS_TEACHER, Honour.SUBJECT_LEADER)
)


def _linked_to_rural(year: int) -> Q:
    linked = SchoolLink.objects.filter(
        year=year, school__urban_rural_code__in=rural_codes()
    ).values("person_id")
    return LINK_STAFF & Q(person__in=linked)


define(
    "staff_rural_school_link_rate",
    "教研员和骨干教师联系乡村学校比例",
    "本学年至少联系 1 所乡村学校的教研员和骨干教师（含名师、学科带头人）人数 ÷ 教研员和骨干教师人数（按任职计）。",
    ALL_SCHOOLS,
    count(POSTS, _linked_to_rural),
    count(POSTS, LINK_STAFF),
    requires=(POSTS,),
    numerator_label="已联系乡村学校人数",
    denominator_label="教研员和骨干教师人数",
)

LESSON_STAFF = Q(honour__in=(Honour.BACKBONE, Honour.FAMOUS_TEACHER))


def _five_seat_lessons(year: int) -> Q:
    five = (
        PublicLesson.objects.filter(
            year=year,
            school__is_town_seat=True,
            kind__in=(LessonKind.PUBLIC, LessonKind.DEMONSTRATION, LessonKind.FAMOUS),
        )
        .order_by()
        .values("teacher_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=5)
        .values("teacher_id")
    )
    return LESSON_STAFF & Q(person__in=five)


define(
    "staff_town_seat_open_lesson_rate",
    "骨干教师镇驻地学校公开课达标率",
    "本学年在镇驻地学校上公开课、示范课、名师课堂不少于 5 节的骨干教师、名师人数 ÷ 骨干教师、名师人数（按任职计）。",
    ALL_SCHOOLS,
    count(POSTS, _five_seat_lessons),
    count(POSTS, LESSON_STAFF),
    requires=(POSTS,),
    numerator_label="达标人数",
    denominator_label="骨干教师、名师人数",
)

define(
    "rural_young_teacher_nominee_count",
    "乡村优秀青年教师推报人数",
    "本学年遴选推报参加国家、省级乡村优秀青年教师培养奖励计划的乡村学校教师人数。",
    RURAL_SCHOOLS,
    count(
        NOMINATIONS,
        Q(programme=Programme.YOUNG_TEACHER, level__in=(Level.NATIONAL, Level.PROVINCE)),
    ),
    unit="人",
)
define(
    "rural_student_teacher_intern_count",
    "乡村学校实习支教大学生人数",
    "本学年安排到乡村学校实习支教的师范类在校大学生人数。",
    RURAL_SCHOOLS,
    count(INTERNS),
    unit="人",
)


def _observed_enough(year: int) -> Q:
    def observations(semester: int):
        return (
            LessonObservation.objects.filter(
                observer=OuterRef("person"), school=OuterRef("school"), year=year, semester=semester
            )
            .order_by()
            .values("observer")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )

    # the plan's 每学期至少听课8次, one setting shared with the supervision pages
    least = observations_per_semester()
    first = Q(GreaterThanOrEqual(Coalesce(Subquery(observations(1)), 0), least))
    if dt.date.today() <= dt.date(year + 1, 2, 28):
        return first  # the second semester has not yet had time
    return first & Q(GreaterThanOrEqual(Coalesce(Subquery(observations(2)), 0), least))
