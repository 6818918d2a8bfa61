from django.contrib import admin

from .models import AuditEvent, CspReport


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


@admin.register(CspReport)
class CspReportAdmin(admin.ModelAdmin):
    """Read-only: what browsers reported; the table is written by the report endpoint only
    (and stops taking new kinds at its ceiling, so it needs no pruning here)."""

    list_display = ("last_seen", "document", "directive", "blocked", "count")
    list_filter = ("directive",)
    search_fields = ("document", "blocked", "source")
    readonly_fields = [f.name for f in CspReport._meta.fields]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
