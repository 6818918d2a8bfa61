"""Requests carrying a NUL character anywhere in the path or parameters are refused with 400:
PostgreSQL cannot hold NUL in text, so such a value would otherwise fail deep in a query."""

from django.http import HttpResponseBadRequest


def _has_nul(querydict) -> bool:
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in querydict.lists()
    )


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or _has_nul(request.POST):
            return HttpResponseBadRequest("请求中含有无效字符。")
        return self.get_response(request)
