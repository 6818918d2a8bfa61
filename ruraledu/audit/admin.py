from django.contrib import admin

from .child_events import log_trail_reads
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

    # the rows shown name pupils as the bureau's trail pages do: logged the same way
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            log_trail_reads(request, changelist.result_list)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and (event := self.get_object(request, object_id)):
            log_trail_reads(request, [event])
        return response


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
