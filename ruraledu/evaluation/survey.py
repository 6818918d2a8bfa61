"""社会认可度: questionnaires per respondent group, anonymous answers (a phone form or an Excel
file), and the weighted recognition rate against the threshold with its sample check.

A group's rate is its 满意 + 比较满意 answers over all its answers; the district's rate is the
groups' rates weighted by the bureau's weights (over the groups that answered). The sample
holds when the survey has its minimum of responses and every weighted group its own minimum.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot

from .choices import SATISFIED_ANSWERS, Answer, Framework, RespondentGroup
from .models import ANSWER_VALUES, Evaluation, Survey, SurveyGroup, SurveyQuestion, SurveyResponse
from .services import _ensure_bureau, _ensure_open

# default weights (待核定: the method names the groups, not their weights)
WEIGHTS = {
    RespondentGroup.STUDENT: 0.2,
    RespondentGroup.PARENT: 0.3,
    RespondentGroup.TEACHER: 0.2,
    RespondentGroup.PRINCIPAL: 0.1,
    RespondentGroup.DEPUTY: 0.1,
    RespondentGroup.PUBLIC: 0.1,
}
SUBJECT = {Framework.YZJH: "本区义务教育", Framework.XQPJPH: "本区学前教育"}
QUESTIONS = {
    Framework.YZJH: (
        "学校办学条件（校舍、场地、设施设备）",
        "教师队伍（数量、素质、交流轮岗）",
        "学校管理与教育教学质量",
        "学生课业负担与课后服务",
        "就近入学与招生公平",
        "城乡、校际之间办学水平的差距缩小",
    ),
    Framework.XQPJPH: (
        "幼儿园数量与入园便利程度",
        "收费与普惠程度",
        "幼儿园保育教育质量",
        "幼儿园教师队伍",
        "幼儿园安全与卫生",
    ),
}


@transaction.atomic
def survey_ensure(*, evaluation: Evaluation) -> Survey:
    """The evaluation's survey with a questionnaire for every group (created once)."""
    survey, created = Survey.objects.get_or_create(evaluation=evaluation)
    if created:
        for group, weight in WEIGHTS.items():
            g = SurveyGroup.objects.create(survey=survey, group=group, weight=weight)
            SurveyQuestion.objects.bulk_create(
                SurveyQuestion(
                    group=g, number=n, text=f"您对{SUBJECT[evaluation.framework]}{t}的满意程度"
                )
                for n, t in enumerate(QUESTIONS[evaluation.framework], start=1)
            )
    return survey


@transaction.atomic
def survey_settings_set(
    *, survey: Survey, actor, is_open: bool, min_sample: int, requires_code: bool = False
) -> Survey:
    _ensure_bureau(actor, survey.evaluation.unit)
    _ensure_open(survey.evaluation)
    if min_sample < 1:
        raise ValidationError("最低有效样本数至少为 1。")
    fields = ["is_open", "min_sample", "requires_code"]
    before = snapshot(survey, fields)
    survey.is_open, survey.min_sample, survey.requires_code = is_open, min_sample, requires_code
    survey.save(update_fields=fields)
    audit_record(
        actor=actor,
        instance=survey,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(survey, fields),
        summary=f"修改社会认可度调查设置：{survey}",
    )
    return survey


def answer_problems(questions: list[SurveyQuestion], answers: dict) -> dict[int, str]:
    """question number -> what is wrong with its answer (every question is required)."""
    problems = {}
    for question in questions:
        value = answers.get(question.number)
        if value is None:
            problems[question.number] = "未作答"
        elif value not in ANSWER_VALUES:
            problems[question.number] = "答案只能是 1 满意、2 比较满意、3 不太满意、4 不满意"
    return problems


def _response(survey, group, school, answers: dict, *, imported: bool) -> SurveyResponse:
    return SurveyResponse(
        survey=survey,
        group=group,
        school=school,
        answers={str(k): v for k, v in sorted(answers.items())},
        satisfied=sum(1 for v in answers.values() if v in SATISFIED_ANSWERS),
        answered=len(answers),
        imported=imported,
        answered_on=timezone.localdate(),
    )


def code_digest(survey: Survey, code: str) -> str:
    import hashlib
    import hmac

    from django.conf import settings

    message = f"{survey.pk}:{code.strip().upper()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper


@transaction.atomic
def codes_issue(*, survey: Survey, actor, count: int) -> list[str]:
    """New one-time codes, returned once in clear (to print); only their hashes are kept."""
    import secrets

    from .models import SurveyCode

    _ensure_bureau(actor, survey.evaluation.unit)
    _ensure_open(survey.evaluation)
    if not 1 <= count <= 5000:
        raise ValidationError("一次可生成 1 至 5000 个作答码。")
    codes = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(8)) for _ in range(count)]
    SurveyCode.objects.bulk_create(
        SurveyCode(survey=survey, digest=code_digest(survey, c)) for c in codes
    )
    audit_record(
        actor=actor,
        instance=survey,
        action=AuditAction.CREATE,
        after={"codes": count},
        summary=f"生成一次性作答码 {count} 个：{survey}",
    )
    return codes


def code_use(*, survey: Survey, code: str) -> None:
    """Spend a one-time code (inside the questionnaire's transaction)."""
    from .models import SurveyCode

    spent = SurveyCode.objects.filter(
        survey=survey, digest=code_digest(survey, code or ""), used=False
    ).update(used=True)
    if not spent:
        raise ValidationError("作答码无效或已使用，每个作答码只能提交一份问卷。")


@transaction.atomic
def response_submit(
    *, survey: Survey, group: str, school=None, answers: dict, code: str = ""
) -> SurveyResponse:
    """One anonymous questionnaire from the public link; nothing about the person is kept."""
    if not survey.is_open:
        raise PermissionDenied("本次调查已结束，不再接收答卷。")
    questions = _questions(survey, group)
    problems = answer_problems(questions, answers)
    if problems:
        numbers = "、".join(f"第 {n} 题" for n in sorted(problems))
        raise ValidationError(f"请回答全部题目：{numbers}未作答或答案无效。")
    if survey.requires_code:
        code_use(survey=survey, code=code)
    known = {q.number for q in questions}
    response = _response(
        survey, group, school, {n: v for n, v in answers.items() if n in known}, imported=False
    )
    response.save()
    return response


def _questions(survey: Survey, group: str) -> list[SurveyQuestion]:
    try:
        g = survey.groups.get(group=group)
    except SurveyGroup.DoesNotExist as exc:
        raise ValidationError("没有这类调查对象。") from exc
    return list(g.questions.all())


@dataclass
class GroupResult:
    group: str
    label: str
    weight: float
    responses: int
    satisfied: int
    answered: int
    min_sample: int

    @property
    def rate(self) -> float | None:
        return self.satisfied / self.answered * 100 if self.answered else None

    @property
    def enough(self) -> bool:
        return self.responses >= self.min_sample


@dataclass
class SurveyResult:
    groups: list[GroupResult]
    responses: int
    min_sample: int
    rate: float | None  # weighted over the groups that answered

    @property
    def sample_ok(self) -> bool:
        weighted = [g for g in self.groups if g.weight > 0]
        return self.responses >= self.min_sample and all(g.enough for g in weighted)


def weighted_rate(groups: list[GroupResult]) -> float | None:
    answered = [g for g in groups if g.rate is not None and g.weight > 0]
    total = sum(g.weight for g in answered)
    if not total:
        return None
    return sum(g.rate * g.weight for g in answered) / total


def survey_result(survey: Survey, *, school_paths: tuple[str, ...] | None = None) -> SurveyResult:
    """Counts and rates per group (one grouped query); `school_paths` narrows to schools."""
    from django.db.models import Count, Q, Sum

    responses = SurveyResponse.objects.filter(survey=survey)
    if school_paths is not None:
        condition = Q(pk__in=[])
        for path in school_paths:
            condition |= Q(school__path__startswith=path)
        responses = responses.filter(condition)
    sums = {
        row["group"]: row
        for row in responses.values("group")
        .order_by()
        .annotate(n=Count("pk"), s=Sum("satisfied"), a=Sum("answered"))
    }
    groups = []
    for g in survey.groups.order_by("pk"):
        row = sums.get(g.group, {})
        groups.append(
            GroupResult(
                g.group,
                g.get_group_display(),
                g.weight,
                row.get("n", 0),
                row.get("s") or 0,
                row.get("a") or 0,
                g.min_sample,
            )
        )
    return SurveyResult(
        groups, sum(g.responses for g in groups), survey.min_sample, weighted_rate(groups)
    )


ANSWER_LABELS = dict(Answer.choices)


# a device or address may send this many questionnaires to a survey per hour
ANSWERS_PER_HOUR = 30


class Flooded(PermissionDenied):
    pass


def flood_check(*, survey: Survey, address: str | None) -> None:
    """Count one questionnaire from `address`; refuse past the hourly limit. The key is an
    HMAC of survey, address and hour, so counts cannot be joined to a person or across hours."""
    import hashlib
    import hmac

    from django.conf import settings
    from django.db.models import F

    from .models import AnswerCounter

    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    message = f"{survey.pk}:{address or '-'}:{hour.isoformat()}".encode()
    key = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    with transaction.atomic():
        AnswerCounter.objects.filter(hour__lt=hour).delete()
        counter, _ = AnswerCounter.objects.select_for_update().get_or_create(
            key=key, defaults={"hour": hour}
        )
        if counter.count >= ANSWERS_PER_HOUR:
            raise Flooded("提交过于频繁，请稍后再试。")
        AnswerCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1)


def survey_by_town(survey: Survey) -> list[tuple[str, int, float | None]]:
    """(town, questionnaires, weighted rate) for the answers given through a school's link,
    in one grouped query; answers without a school are not counted here."""
    from django.db.models import Count, Sum

    weights = {
        g.group: (g.weight, g.get_group_display(), g.min_sample) for g in survey.groups.all()
    }
    towns: dict[str, list[GroupResult]] = {}
    rows = (
        SurveyResponse.objects.filter(survey=survey, school__isnull=False)
        .values("school__parent__name", "group")
        .order_by()
        .annotate(n=Count("pk"), s=Sum("satisfied"), a=Sum("answered"))
    )
    for row in rows:
        weight, label, minimum = weights[row["group"]]
        towns.setdefault(row["school__parent__name"], []).append(
            GroupResult(row["group"], label, weight, row["n"], row["s"], row["a"], minimum)
        )
    return [
        (town, sum(g.responses for g in groups), weighted_rate(groups))
        for town, groups in sorted(towns.items())
    ]
