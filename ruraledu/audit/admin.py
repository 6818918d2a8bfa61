from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody, superusers included, adds, changes or deletes audit rows here."""

    list_display = ("at", "actor_name", "action", "content_type", "object_repr", "address")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "summary", "actor_name", "object_id")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
