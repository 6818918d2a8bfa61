"""Writes of the aid app: publishing and ending a school's 公示名单."""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.core.templatetags.privacy import person_name
from ruraledu.orgunits.models import School
from ruraledu.students.models import Enrolment

from .models import AidGrant, AidPublicity

MAX_DAYS = 30  # a publicity list stays up for days, not for good


def publicity_rows(*, school: School, year: int, semester: int) -> list[dict]:
    """What may be posted about the term's grants of a school: the name masked (张*明), the
    grade, the kind of aid and the amount; never an ID number or a hardship reason."""
    grants = (
        AidGrant.objects.filter(school=school, year=year, semester=semester)
        .select_related("person", "kind")
        # the names go out masked: in name order they would hint at the hidden characters
        .order_by("kind__order", "kind_id", "pk")
    )
    grades = dict(
        Enrolment.objects.filter(year=year, person__aid_grants__in=grants)
        .values_list("person_id", "grade")
        .order_by()
    )
    return [
        {
            "name": person_name(g.person.name, False),
            "grade": grades.get(g.person_id),
            "kind": g.kind.name,
            "amount": format(g.amount, "f"),
        }
        for g in grants
    ]


@transaction.atomic
def publicity_publish(
    *,
    school: School,
    year: int,
    semester: int,
    starts_on: dt.date,
    ends_on: dt.date,
    actor,
    address: str | None = None,
) -> AidPublicity:
    """Publish the term's publicity list of a school the actor works care cases for; the link
    answers until `ends_on`. Out of reach is not found."""
    if not Reach(actor, Action.CARE).covers(school.org_unit.path):
        raise Http404("没有找到该学校。")
    if ends_on < starts_on:
        raise ValidationError("公示截止日期不能早于开始日期。")
    if (ends_on - starts_on).days > MAX_DAYS:
        raise ValidationError(f"公示期不能超过 {MAX_DAYS} 天。")
    rows = publicity_rows(school=school, year=year, semester=semester)
    if not rows:
        raise ValidationError("该学校本学期没有资助发放记录，无需公示。")
    publicity = AidPublicity(
        school=school,
        unit=school.org_unit,
        year=year,
        semester=semester,
        token=secrets.token_urlsafe(32),
        starts_on=starts_on,
        ends_on=ends_on,
        rows=rows,
        created_by=actor,
    )
    publicity.full_clean()
    publicity.save()
    audit_record(
        actor=actor,
        instance=publicity,
        action=AuditAction.CREATE,
        after=snapshot(publicity, ["school", "year", "semester", "starts_on", "ends_on"]),
        summary=f"发布资助公示名单（{len(rows)} 人次）",
        address=address,
    )
    return publicity


@transaction.atomic
def publicity_end(
    *, publicity: AidPublicity, today: dt.date, actor, address: str | None = None
) -> AidPublicity:
    """End a publicity list early: its link stops answering from today. A list not yet
    started is withdrawn instead: it is recorded as never public."""
    if not Reach(actor, Action.CARE).covers(publicity.unit.path):
        raise Http404("没有找到该公示名单。")
    # as it is now: ended again, a list over for weeks would be recorded as public until yesterday
    publicity = AidPublicity.objects.select_for_update().get(pk=publicity.pk)
    if publicity.withdrawn_on:
        raise ValidationError(f"该公示已于 {publicity.withdrawn_on:%Y-%m-%d} 撤回。")
    if publicity.ends_on < today:
        raise ValidationError(f"该公示已于 {publicity.ends_on:%Y-%m-%d} 结束。")
    fields = ["ends_on", "starts_on", "withdrawn_on"]
    before = snapshot(publicity, fields)
    if publicity.starts_on > today:
        publicity.withdrawn_on = today
        summary = "撤回尚未开始的资助公示"
    else:
        publicity.ends_on = today - dt.timedelta(days=1)
        publicity.starts_on = min(publicity.starts_on, publicity.ends_on)
        summary = "提前结束资助公示"
    publicity.save(update_fields=fields)
    audit_record(
        actor=actor,
        instance=publicity,
        action=AuditAction.UPDATE,
        before=before,
        after=snapshot(publicity, fields),
        summary=summary,
        address=address,
    )
    return publicity
