from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from ruraledu.audit.admin_mixins import AuditedAdminMixin
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.services import AuditEntry, audit_bulk
from ruraledu.audit.utils import request_address

from .models import RoleAssignment, User

# authenticators are reset on the audited 重置两步验证 page; their keys never show in admin
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["org_unit", "department"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    """Accounts and their roles; every change audited (never the password hash)."""

    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("单位信息", {"fields": ("full_name", "phone")}),
        ("账号安全", {"fields": ("must_change_password",)}),
    )
    list_display = ("username", "full_name", "is_active", "is_staff", "last_login")
    search_fields = ("username", "full_name", "phone")
    inlines = [RoleAssignmentInline]
    audit_exclude = ("password",)

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                before, after = {"password": "（原密码）"}, {"password": "（已重设）"}
                if settings.PASSWORD_CHANGE_FIRST_LOGIN and not user.must_change_password:
                    # the administrator knows this password: its owner replaces it at login
                    User.objects.filter(pk=user.pk).update(must_change_password=True)
                    before["首次登录须修改密码"], after["首次登录须修改密码"] = False, True
                audit_bulk(
                    actor=request.user,
                    entries=[
                        AuditEntry(
                            model=User,
                            object_id=user.pk,
                            action=AuditAction.UPDATE,
                            object_repr=str(user),
                            before=before,
                            after=after,
                        )
                    ],
                    summary="在管理后台重设密码",
                    address=request_address(request),
                )
        return response
