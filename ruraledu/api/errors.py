"""One error format for every API failure:
{"error": {"code": "...", "message": "中文说明", "fields": {field: [messages]}}}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = "请求体过大。"


MESSAGES = {
    "parse_error": "请求体不是有效的 JSON，或表单格式有误。",
    "not_authenticated": "请先登录或提供有效的令牌。",
    "permission_denied": "您没有执行此操作的权限。",
    "not_found": "没有这个对象，或不在您的权限范围内。",
    "method_not_allowed": "该地址不支持此请求方法。",
    "unsupported_media_type": "不支持的请求体类型，请使用 application/json 或 multipart/form-data。",
    "not_acceptable": "无法按请求的格式返回，请接受 application/json。",
    "invalid": "提交的数据有误，请按各字段的说明改正。",
}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _join(key, sub) -> str:
    if sub == "non_field_errors":
        return str(key)
    return f"{key}{sub}" if sub.startswith("[") else f"{key}.{sub}"


def _flatten(detail) -> dict:
    """DRF's nested error detail as {"dataValues[0].value": [messages]}."""
    if isinstance(detail, list) and not any(isinstance(v, dict | list) for v in detail):
        return {"non_field_errors": [str(m) for m in detail]}
    if isinstance(detail, list):  # a list body's errors, one entry per item
        detail = {index: value for index, value in enumerate(detail) if value}
    out: dict = {}
    for key, value in detail.items():
        name = f"[{key}]" if isinstance(key, int) else str(key)
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
        ):
            for sub, messages in _flatten(value).items():
                out[_join(name, sub)] = messages
        else:
            out[name] = [str(m) for m in (value if isinstance(value, list) else [value])]
    return out


def handle(exc, context):
    """DRF's exception handler: the consistent body, Chinese messages, nothing half written."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or MESSAGES["permission_denied"])
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        headers["Retry-After"] = str(wait)
        body = error_body("throttled", f"请求过于频繁，请 {wait} 秒后再试。")
    elif isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", MESSAGES["invalid"], _flatten(exc.detail))
    else:
        code = exc.default_code if isinstance(exc.detail, str) else "error"
        if isinstance(exc, exceptions.AuthenticationFailed):
            code = "authentication_failed"
        message = str(exc.detail)
        # DRF's own English defaults give way to ours; our Chinese messages are kept
        if message == str(type(exc).default_detail) or message.isascii():
            message = MESSAGES.get(exc.default_code, message)
        body = error_body(code, message)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
