from django.contrib import admin
from django.db import models

from ruraledu.audit.admin_mixins import AuditedModelAdmin

from .models import ChannelDelivery, WebhookChannel


@admin.register(WebhookChannel)
class WebhookChannelAdmin(AuditedModelAdmin):
    """Set by the bureau; every change is audited (the address and key are secrets: kept out
    of the trail, which records that the channel changed)."""

    list_display = ("name", "kind", "org_unit", "department", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    audit_exclude = ("url", "secret")


@admin.register(ChannelDelivery)
class ChannelDeliveryAdmin(admin.ModelAdmin):
    """Read-only: what was sent where, and the failures with their last error."""

    list_display = ("created_at", "channel", "title", "status", "attempts", "last_error")
    list_filter = ("status", "channel__kind")
    search_fields = ("title",)
    readonly_fields = [f.name for f in ChannelDelivery._meta.fields]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
