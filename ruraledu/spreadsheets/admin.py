from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are records of what happened; files are served by the app's views."""

    list_display = ("filename", "kind", "year", "created_by", "created_at", "status", "error_count")
    list_filter = ("status", "kind", "year")
    search_fields = ("filename", "created_by__username")
    exclude = ("file", "error_copy", "errors")
    readonly_fields = (
        "kind",
        "year",
        "filename",
        "created_by",
        "status",
        "progress",
        "total_rows",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
        "message",
        "finished_at",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # uploads are purged on schedule by purge_import_files
