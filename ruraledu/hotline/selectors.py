"""Hotline reads; every one applies `Complaint.objects.for_user`."""

import datetime as dt

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from ruraledu.audit.personal_access import HOTLINE_CALLER
from ruraledu.core.models import PersonalDataAccess

from .choices import ComplaintStatus
from .models import Complaint


def complaint_list(
    *,
    user,
    status: str = "",
    channel: str = "",
    overdue: bool = False,
    year: int | None = None,
    text: str = "",
    today: dt.date | None = None,
):
    """The complaints in reach, filtered; newest first."""
    today = today or timezone.localdate()
    complaints = Complaint.objects.for_user(user).select_related(
        "unit__parent", "assigned_unit", "assigned_department"
    )
    if status == "open":
        complaints = complaints.exclude(status=ComplaintStatus.CLOSED)
    elif status in ComplaintStatus.values:
        complaints = complaints.filter(status=status)
    if channel:
        complaints = complaints.filter(channel=channel)
    if overdue:
        complaints = complaints.overdue(today)
    if year:
        complaints = complaints.filter(received_on__year=year)
    if text:
        complaints = complaints.filter(
            Q(topic__icontains=text) | Q(question__icontains=text) | Q(unit__name__icontains=text)
        )
    return complaints.order_by("-received_on", "-pk")


def complaint_get(*, user, pk: int) -> Complaint:
    """One complaint in reach; anything else is not found."""
    complaint = (
        complaint_list(user=user).select_related("created_by", "answered_by").filter(pk=pk).first()
    )
    if complaint is None:
        raise Http404("没有找到该工单。")
    return complaint


def caller_read(*, user, complaint: Complaint, address: str | None) -> tuple[str, str]:
    """The clear caller for the 督导室 (the caller checks `sees_caller`); each read is logged
    in the personal-data access log."""
    PersonalDataAccess.objects.create(
        user=user, subject=f"{HOTLINE_CALLER}:{complaint.pk}", purpose="view", address=address
    )
    return complaint.caller()
