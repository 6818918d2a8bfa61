from django.contrib import admin

from .models import (
    CalendarDay,
    EvidenceFile,
    Notification,
    ProgressReport,
    ReportEvent,
    ReportingPeriod,
    ReportingSchedule,
    ReportUrge,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Workflow records change only through the services (which audit them)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    """Edited on the reporting holiday page, where each change is audited."""

    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind", "source")
    date_hierarchy = "date"


@admin.register(ReportingSchedule)
class ReportingScheduleAdmin(ReadOnlyAdmin):
    list_display = ("project", "frequency", "deadline_working_days", "starts_on", "is_active")


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ("project", "starts_on", "ends_on", "deadline", "deadline_provisional")
    list_filter = ("frequency", "deadline_provisional")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "submitted_at", "reviewed_at")
    list_filter = ("status",)


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ("report", "kind", "actor", "at")


@admin.register(ReportUrge)
class ReportUrgeAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "urged_by", "urged_at", "recipients")


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "report", "size", "uploaded_at")
    exclude = ("file",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "kind", "title", "created_at", "email_status")
    list_filter = ("kind", "email_status")
