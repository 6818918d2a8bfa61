from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from ruraledu.audit.utils import request_address

from .lockout import account_locks, throttled_addresses, whole_minutes
from .models import User
from .policy import is_bureau
from .services import login_lock_release


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
