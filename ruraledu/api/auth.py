"""Bearer-token authentication, the read-only/read-write check and the per-token throttle."""

from django.core.cache import caches
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import ApiToken
from .tokens import TokenRefused, token_check


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`; a wrong, revoked or expired token is a 401."""

    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("请求头 Authorization 的格式应为“Bearer 令牌”。")
        try:
            token = token_check(header[1].decode("latin-1"))
        except TokenRefused as exc:
            raise exceptions.AuthenticationFailed(exc.message) from None
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class TokenAuthScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}


class TokenScopePermission(permissions.BasePermission):
    """Signed in; a read-only token may only read."""

    message = "该令牌为只读令牌，不能写入。"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            raise exceptions.NotAuthenticated("请先登录或提供有效的令牌。")
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.can_write


THROTTLE_CACHE = "api_throttle"


class PerTokenThrottle(throttling.SimpleRateThrottle):
    """Counts per token in a cache every worker process shares (a database table, see the
    settings), so the rate holds for the token whatever worker answers."""

    scope = "api_token"

    @property
    def cache(self):
        return caches[THROTTLE_CACHE]

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
