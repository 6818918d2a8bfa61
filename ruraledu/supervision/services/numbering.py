"""The one place notice numbers come from: a counter row per year, raised under a row lock."""

from django.db import IntegrityError, transaction

from ..conf import notice_pattern
from ..models import NoticeCounter


def notice_number_next(year: int) -> tuple[int, str]:
    """The next number of `year` and its label (e.g. 川教督整〔2026〕12号). Must run inside the
    caller's transaction: the counter stays locked until it commits, so two notices issued at
    the same moment get consecutive numbers, and a rolled-back issue gives its number back
    (the counter's raise is undone with it), so no number is ever used twice."""
    if not NoticeCounter.objects.filter(year=year).exists():
        try:
            with transaction.atomic():
                NoticeCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # created by a concurrent issue a moment ago
    counter = NoticeCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, notice_pattern().format(year=year, number=counter.last)
