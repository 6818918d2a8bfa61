"""Paper questionnaires typed into Excel: one row per questionnaire, checked as a whole and
written all-or-nothing by the spreadsheets machinery's reader and error rules. A file adds
answers; it carries no respondent's name or contact."""

from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record
from ruraledu.orgunits.models import OrgUnit
from ruraledu.spreadsheets.base import CellError, Column, ErrorSink, SheetSpec
from ruraledu.spreadsheets.reader import read_sheet
from ruraledu.spreadsheets.safety import UploadRefused, check_upload
from ruraledu.spreadsheets.services import ImportRejected, sort_errors
from ruraledu.spreadsheets.xlsx_template import write_template

from .choices import RespondentGroup
from .models import Survey, SurveyResponse
from .services import _ensure_bureau
from .survey import _response, answer_problems

MAX_QUESTIONS = 10
SPEC = SheetSpec(
    kind="survey_responses",
    title="问卷答卷",
    columns=(
        Column(
            "group", "调查对象", "choice", required=True, choices=tuple(RespondentGroup.choices)
        ),
        Column("school", "学校代码", note="可空：不针对某一学校的答卷"),
        *(
            Column(
                f"q{n}", f"第{n}题", "int", note="1 满意 2 比较满意 3 不太满意 4 不满意", width=8
            )
            for n in range(1, MAX_QUESTIONS + 1)
        ),
    ),
)


def template_bytes() -> bytes:
    stream = BytesIO()
    write_template(SPEC, stream)
    return stream.getvalue()


def responses_import(*, survey: Survey, actor, data: bytes, filename: str) -> int:
    """Check the whole file, then add every questionnaire in one transaction; the number added.
    Raises UploadRefused or ImportRejected (every error, nothing written)."""
    _ensure_bureau(actor, survey.evaluation.unit)
    if not survey.is_open:
        raise PermissionDenied("本次调查已结束，不再接收答卷。")
    check_upload(data, filename)
    rows, errors = read_sheet(SPEC, data, filename)
    sink = ErrorSink(SPEC, errors)
    groups = {g.group: list(g.questions.all()) for g in survey.groups.all()}
    codes = {row.values["school"] for row in rows if row.values["school"]}
    reach = Reach(actor, Action.VIEW)
    # schools of the evaluated district only: its survey says nothing about another's
    inside = OrgUnit.objects.filter(code__in=codes, path__startswith=survey.evaluation.unit.path)
    schools = {u.code: u for u in inside if reach.covers(u.path)}
    wanted = []
    for row in rows:
        bad = sink.at(row)
        group, code = row.values["group"], row.values["school"]
        if group is None:
            continue  # the reader reported the cell
        if code and code not in schools:
            bad("school", "没有这个学校代码，或不在您的权限范围内")
        answers = {
            n: row.values[f"q{n}"]
            for n in range(1, MAX_QUESTIONS + 1)
            if row.values[f"q{n}"] is not None
        }
        questions = groups[group]
        for number, problem in answer_problems(questions, answers).items():
            bad(f"q{number}", f"{RespondentGroup(group).label}问卷的必答题{problem}")
        extra = set(answers) - {q.number for q in questions}
        for number in sorted(extra):
            bad(f"q{number}", f"{RespondentGroup(group).label}问卷只有 {len(questions)} 题")
        wanted.append((group, schools.get(code), answers))
    if not rows and not errors:
        errors.append(CellError(SPEC.title, 0, "", "", f"文件“{filename}”中没有答卷"))
    if errors:
        raise ImportRejected(sort_errors(errors, SPEC))
    with transaction.atomic():
        # the survey as it is now, locked: it may have been closed while the file was read
        if not Survey.objects.select_for_update().get(pk=survey.pk).is_open:
            raise PermissionDenied("本次调查已结束，不再接收答卷。")
        SurveyResponse.objects.bulk_create(
            _response(survey, group, school, answers, imported=True)
            for group, school, answers in wanted
        )
        audit_record(
            actor=actor,
            instance=survey,
            action=AuditAction.IMPORT,
            after={"file": filename, "responses": len(wanted)},
            summary=f"导入问卷答卷 {len(wanted)} 份：{filename}",
        )
    return len(wanted)


__all__ = ["ImportRejected", "UploadRefused", "responses_import", "template_bytes"]
