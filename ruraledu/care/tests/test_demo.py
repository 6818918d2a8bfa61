"""The demo district's cases: plausible states, the school's accounts have some to work, the
sick-leave case has its certificate; partner lists and a cross-check give the working lists
children to show; setting the demo up again adds none."""

import datetime as dt
from collections import Counter

from django.core.management import call_command
from django.utils import timezone

from ruraledu.accounts.choices import Action
from ruraledu.demo.care import STORIES

from ..models import CaseEvent, CaseFile, CrossCheckRun, DropoutCase, Finding, ListEntry
from ..selectors import neglected_condition


def test_the_demo_has_cases_at_plausible_states_and_a_second_run_adds_none(db, capsys):
    call_command("setup_demo", scale="tiny")
    assert "care" in capsys.readouterr().out
    statuses = Counter(DropoutCase.objects.values_list("status", flat=True))
    assert sum(statuses.values()) == len(STORIES) == 37
    assert statuses == {
        "closed": 23,
        "returned": 2,
        "contacting": 6,
        "assigned": 2,
        "found": 1,
        "escalated_town": 2,
        "escalated_district": 1,
    }
    assert CaseEvent.objects.filter(kind="escalated_town").count() == 3
    # persuasion and the town's notice work from the written plan (一人一案)
    worked = DropoutCase.objects.exclude(status__in=["found", "assigned"])
    assert worked.count() == 34 and not worked.filter(plan="").exists()
    # the neglected case is still neglected: its one contact is weeks old
    neglected = DropoutCase.objects.open().filter(neglected_condition(timezone.localdate()))
    assert list(neglected.filter(status="contacting").values_list("opened_on", flat=True)) == [
        timezone.localdate() - dt.timedelta(days=52)
    ]
    from ruraledu.accounts.models import User

    officer = User.objects.get(username="care")
    assert DropoutCase.objects.for_user(officer, Action.CARE).open().count() == 2
    assert CaseFile.objects.filter(kind="certificate").count() == 1
    # the lists and one finished cross-check: children never enrolled, two of them cleared
    entries, findings = ListEntry.objects.count(), Finding.objects.count()
    run = CrossCheckRun.objects.get()
    assert run.status == "done"
    assert Finding.objects.filter(kind="not_enrolled").count() == 24
    assert Finding.objects.exclude(clear_reason="").count() == 2
    assert Finding.objects.filter(kind="priority").exists()
    call_command("setup_demo", scale="tiny")
    assert DropoutCase.objects.count() == 37
    assert (ListEntry.objects.count(), Finding.objects.count()) == (entries, findings)
    assert CrossCheckRun.objects.count() == 1
