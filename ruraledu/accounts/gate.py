"""The gate every signed-in request passes: a second factor first (for the roles that need
it), then a new password for accounts that must change theirs. Only logging out, the steps
themselves and static files are let through before."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .twofactor import confirmed_device, needs_two_factor

TWO_FACTOR_MESSAGE = "该账号须先完成两步验证（动态验证码）后才能访问。"
PASSWORD_MESSAGE = "该账号须先修改初始密码后才能访问。"


def _send_to(request, url_name: str, code: str, message: str):
    # API clients get the API's error format; a browser on the API's pages gets the step
    if request.path.startswith("/api/") and "text/html" not in request.headers.get("Accept", ""):
        body = {"error": {"code": code, "message": message}}
        return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
    url = reverse(url_name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._always_open(request.path):
            return self.get_response(request)
        if needs_two_factor(user) and not user.is_verified():
            if request.path in self._paths("two_factor_verify", "two_factor_enrol"):
                return self.get_response(request)
            step = "two_factor_verify" if confirmed_device(user) else "two_factor_enrol"
            return _send_to(request, f"accounts:{step}", "two_factor_required", TWO_FACTOR_MESSAGE)
        if user.must_change_password:
            if request.path in self._paths("password_change", "password_change_done"):
                return self.get_response(request)
            return _send_to(
                request, "accounts:password_change", "password_change_required", PASSWORD_MESSAGE
            )
        return self.get_response(request)

    @staticmethod
    def _paths(*names: str) -> set[str]:
        return {reverse(f"accounts:{name}") for name in names}

    @staticmethod
    def _always_open(path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path.startswith(static) or path in {
            reverse("accounts:logout"),
            reverse("accounts:login"),
            # a violation seen on the second-factor or password page is reported too
            reverse("audit:csp_report"),
        }
