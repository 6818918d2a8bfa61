from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView
from django_otp import login as otp_login

from ruraledu.audit.utils import request_address

from .lockout import account_locks, throttled_addresses, whole_minutes
from .models import User
from .policy import is_bureau
from .services import login_lock_release, password_changed, two_factor_confirm, two_factor_reset
from .twofactor import confirmed_device, pending_device, qr_svg, spaced_secret


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = self.request.user.role_assignments.select_related(
            "org_unit", "department"
        )
        return context


class BureauOnlyMixin(LoginRequiredMixin):
    """Pages for bureau administrators; anyone else gets 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_bureau(request.user):
            raise Http404("页面不存在。")
        return super().dispatch(request, *args, **kwargs)


class LoginLockListView(BureauOnlyMixin, TemplateView):
    """Accounts locked now (with an unlock button) and addresses refused now."""

    template_name = "accounts/login_lock_list.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        locks = account_locks(now=now)
        names = dict(
            User.objects.filter(username__in=[x.username for x in locks]).values_list(
                "username", "full_name"
            )
        )
        rows = [
            {
                "lock": x,
                "known": x.username in names,
                "full_name": names.get(x.username, ""),
                "minutes": whole_minutes(x.remaining(now)),
            }
            for x in locks
        ]
        return super().get_context_data(
            rows=rows,
            addresses=throttled_addresses(now),
            address_limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
            address_minutes=int(settings.LOGIN_ADDRESS_WINDOW.total_seconds() // 60),
            **kwargs,
        )


class LoginLockReleaseView(BureauOnlyMixin, View):
    def post(self, request):
        username = (request.POST.get("username") or "").strip()[:150]
        if not username:
            raise Http404("没有指定账号。")
        failures = login_lock_release(
            actor=request.user, username=username, address=request_address(request)
        )
        messages.success(
            request, f"已解除账号“{username}”的登录锁定（清除失败记录 {failures} 次）。"
        )
        return redirect("accounts:lock_list")


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    # only a path: redirect() would take any other word for a view's name
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, request.is_secure()
    ):
        return url
    return settings.LOGIN_REDIRECT_URL


def _token(request) -> str:
    return "".join((request.POST.get("token") or "").split())[:10]


class TwoFactorVerifyView(LoginRequiredMixin, TemplateView):
    """The step after the password: the six digits the phone shows now."""

    template_name = "accounts/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and confirmed_device(request.user) is None:
            return redirect("accounts:two_factor_enrol")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        device = confirmed_device(request.user)
        allowed, why = device.verify_is_allowed()
        if not allowed:
            error = "验证码错误次数过多，请稍等片刻再试。"
        elif device.verify_token(_token(request)):
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            error = "验证码不正确或已过期，请输入手机验证器上当前显示的 6 位数字。"
        return self.render_to_response(self.get_context_data(error=error), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request), **kwargs)


class TwoFactorEnrolView(LoginRequiredMixin, TemplateView):
    """Bind a phone authenticator: scan the QR code, confirm with the code it shows."""

    template_name = "accounts/two_factor_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and confirmed_device(request.user) is not None:
            return redirect("accounts:two_factor_verify")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        device = pending_device(request.user)
        if two_factor_confirm(
            user=request.user,
            device=device,
            token=_token(request),
            address=request_address(request),
        ):
            otp_login(request, device)
            messages.success(request, "已绑定手机验证器，以后登录时请输入其显示的验证码。")
            return redirect(_next_url(request))
        error = "验证码不正确：请确认手机时间准确，并输入验证器上当前显示的 6 位数字。"
        return self.render_to_response(self.get_context_data(error=error), status=400)

    def get_context_data(self, **kwargs):
        device = pending_device(self.request.user)
        return super().get_context_data(
            qr_svg=qr_svg(device),
            secret=spaced_secret(device),
            next=_next_url(self.request),
            **kwargs,
        )


class TwoFactorResetView(BureauOnlyMixin, TemplateView):
    """A user who lost their phone: the bureau removes their authenticator (audited)."""

    template_name = "accounts/two_factor_reset.html"

    def post(self, request):
        username = (request.POST.get("username") or "").strip()[:150]
        user = User.objects.filter(username=username).first()
        if user is None:
            messages.error(request, f"没有账号“{username}”。")
        else:
            two_factor_reset(actor=request.user, user=user, address=request_address(request))
            messages.success(
                request, f"已重置账号“{username}”的两步验证，其下次登录时须重新绑定手机验证器。"
            )
        return redirect("accounts:two_factor_reset")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=self.request.user, address=request_address(self.request))
        return response
