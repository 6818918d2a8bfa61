"""The login lock: per account whatever the address, a delay that doubles, an administrator
who can lift it, and client addresses read from the proxy header only when told to."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse

from ruraledu.accounts.lockout import account_locks, lock_delay
from ruraledu.accounts.tests.factories import PASSWORD
from ruraledu.audit.models import AuditEvent
from ruraledu.audit.utils import request_address

A, B = "198.51.100.1", "203.0.113.2"


def login(client, username, password, address=A, **extra):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def fail(client, username, times, address=A):
    for _ in range(times):
        login(client, username, "wrong", address)


def time_passes(seconds):
    """Move every recorded failure into the past."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(seconds=seconds))


def logged_in(client):
    return "_auth_user_id" in client.session


def test_failures_from_one_address_lock_the_account_from_every_address(client, school_clerk):
    # given five failures from address A
    fail(client, "school_clerk", 5, address=A)
    # when the right password comes from address B
    response = login(client, "school_clerk", PASSWORD, address=B)
    # then the account is locked there too
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert not logged_in(client)


def test_four_failures_do_not_lock(client, school_clerk):
    fail(client, "school_clerk", 4)
    response = login(client, "school_clerk", PASSWORD, address=B)
    assert response.status_code == 302
    assert logged_in(client)
    assert not AccessAttempt.objects.exists()  # a success clears the count


@pytest.mark.parametrize(
    ("failures", "minutes"), [(4, 0), (5, 1), (6, 2), (7, 4), (10, 32), (11, 60), (40, 60)]
)
def test_the_delay_doubles_with_each_failure_up_to_the_maximum(failures, minutes):
    assert lock_delay(failures) == dt.timedelta(minutes=minutes)


def test_the_lock_ends_after_its_delay_and_grows_with_the_next_failure(client, school_clerk):
    # given a first lock of one minute
    fail(client, "school_clerk", 5)
    [lock] = account_locks(username="school_clerk")
    assert lock.until - lock.last_failure == dt.timedelta(minutes=1)
    # when the minute has passed, one more failure locks for two minutes
    time_passes(61)
    assert account_locks(username="school_clerk") == []
    fail(client, "school_clerk", 1)
    [lock] = account_locks(username="school_clerk")
    assert lock.failures == 6
    assert lock.until - lock.last_failure == dt.timedelta(minutes=2)
    # then after 61 seconds the account is still locked, after two minutes it is not
    time_passes(61)
    assert login(client, "school_clerk", PASSWORD, address=B).status_code == 429
    time_passes(60)
    assert login(client, "school_clerk", PASSWORD, address=B).status_code == 302
    assert logged_in(client)


def test_attempts_while_locked_do_not_extend_the_lock(client, school_clerk):
    fail(client, "school_clerk", 5)
    fail(client, "school_clerk", 3, address=B)  # refused while locked, not counted
    assert account_locks(username="school_clerk")[0].failures == 5


def test_one_address_trying_many_accounts_is_refused(client, school_clerk, settings):
    # given an address failing on many accounts, none of them reaching its own limit
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for name in ("a1", "a2", "a3", "a4"):
        fail(client, name, 2, address=A)
    # when the clerk logs in from that address, and from another one
    from_a = login(client, "school_clerk", PASSWORD, address=A)
    from_b = login(client, "school_clerk", PASSWORD, address=B)
    # then only the address is refused
    assert from_a.status_code == 429
    assert "本机所在网络" in from_a.content.decode()
    assert from_b.status_code == 302


def test_the_bureau_lists_and_unlocks_an_account(client, school_clerk, district_admin):
    # given a locked account
    fail(client, "school_clerk", 5)
    client.force_login(district_admin)
    page = client.get(reverse("accounts:lock_list"))
    assert page.status_code == 200
    assert "school_clerk" in page.content.decode()
    # when the administrator unlocks it
    response = client.post(
        reverse("accounts:lock_release"), {"username": "school_clerk"}, REMOTE_ADDR=B
    )
    # then the right password works again, and the unlock is in the audit trail
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="school_clerk").exists()
    event = AuditEvent.objects.get(action="unlock")
    assert (event.actor, event.object_id, event.address) == (
        district_admin,
        str(school_clerk.pk),
        B,
    )
    assert event.before["登录失败次数"] == 5
    client.logout()
    assert login(client, "school_clerk", PASSWORD, address=A).status_code == 302


@pytest.mark.parametrize("persona", ["town_officer", "school_clerk", "district_leader"])
def test_others_cannot_see_or_lift_locks(client, request, persona, department_reporter):
    # given a locked account
    fail(client, "department_reporter", 5)
    client.force_login(request.getfixturevalue(persona))
    # when / then
    assert client.get(reverse("accounts:lock_list")).status_code == 404
    response = client.post(reverse("accounts:lock_release"), {"username": "department_reporter"})
    assert response.status_code == 404
    assert account_locks(username="department_reporter")[0].failures == 5
    assert not AuditEvent.objects.exists()


def test_the_lock_page_needs_login(client):
    response = client.get(reverse("accounts:lock_list"))
    assert response.status_code == 302


def test_the_forwarded_header_is_ignored_without_a_declared_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=B)
    assert request_address(request) == "10.0.0.5"


def test_the_forwarded_header_is_read_behind_declared_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # the client wrote "1.2.3.4" itself; the proxy appended the address it saw
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {B}"
    )
    assert request_address(request) == B
    settings.TRUSTED_PROXY_COUNT = 2
    assert request_address(request) == "1.2.3.4"
    no_header = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5")
    assert request_address(no_header) == "10.0.0.5"


@pytest.mark.parametrize(("count", "recorded"), [(0, "10.0.0.5"), (1, B)])
def test_the_login_lock_records_the_address_by_the_same_rule(db, client, settings, count, recorded):
    settings.TRUSTED_PROXY_COUNT = count
    client.post(
        reverse("accounts:login"),
        {"username": "someone", "password": "wrong"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR=B,
    )
    assert AccessAttempt.objects.get(username="someone").ip_address == recorded
