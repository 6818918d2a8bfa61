"""Every model the admin can change is official data or an account: each admin registration
writes the audit trail (the mixin), so a new registration cannot forget it."""

from django.contrib import admin
from django.test import RequestFactory

from ruraledu.accounts.tests.factories import UserFactory
from ruraledu.audit.admin_mixins import AuditedAdminMixin


def writable(model_admin, request) -> bool:
    return (
        model_admin.has_add_permission(request)
        or model_admin.has_change_permission(request)
        or model_admin.has_delete_permission(request)
    )


def test_every_admin_registration_is_audited_or_read_only(db):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    unaudited = sorted(
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin) and writable(model_admin, request)
    )
    assert unaudited == []
