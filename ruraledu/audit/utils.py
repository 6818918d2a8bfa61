"""Request helpers for views that pass the client's address to audited services."""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def request_address(request) -> str | None:
    """The client's address, by the one rule the audit trail and the login lock share.

    With no proxy declared (TRUSTED_PROXY_COUNT = 0) it is the connection's address and
    X-Forwarded-For is ignored: any client can write that header. With N trusted proxies in
    front, each appends the address it was reached from, so the client is the N-th entry from
    the right; entries further left were written by the client and are not believed.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR") or ""
        hops = [hop for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return _valid(hops[-count])
    return _valid(request.META.get("REMOTE_ADDR") or "")
