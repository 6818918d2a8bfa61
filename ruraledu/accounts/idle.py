"""Idle sessions end SESSION_IDLE_MINUTES after the last request. Saving the session on every
request moved the end exactly, at the cost of a database write per page; refreshing it at
most once a minute ends an idle session within a minute of the idle time, for one write a
minute per active user."""

import time

REFRESH_SECONDS = 60
SEEN = "_seen"


def seen_at_login(sender, request, user, **kwargs) -> None:
    """A login saves the session anyway: the next minute's pages need not write it again."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = int(time.time())


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key:  # an anonymous visitor gets no session from a page view
            now = int(time.time())
            if now - session.get(SEEN, 0) >= REFRESH_SECONDS:
                session[SEEN] = now  # modified: saved with a new end on the way out
        return self.get_response(request)
