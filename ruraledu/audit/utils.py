"""Request helpers for views that pass the client's address to audited services."""

import ipaddress


def request_address(request) -> str | None:
    """The client's address as the server saw it (REMOTE_ADDR; a reverse proxy must set it
    from X-Forwarded-For itself, the header is not trusted here)."""
    value = (request.META.get("REMOTE_ADDR") or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
