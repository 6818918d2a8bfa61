"""A read-only view of complaints for the technicians: the caller is never shown here (the
ciphertext fields are left out), and changes go through the pages, where they are audited."""

from django.contrib import admin

from .models import Complaint
from .permissions import HIDDEN


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("pk", "received_on", "channel", "unit", "topic", "status", "due_on")
    list_filter = ("status", "channel")
    fields = (
        "channel",
        "received_on",
        "unit",
        "topic",
        "question",
        "caller",
        "status",
        "assigned_unit",
        "assigned_department",
        "assigned_on",
        "due_on",
        "answer",
        "answered_on",
        "closed_on",
    )
    readonly_fields = fields

    @admin.display(description="来电人")
    def caller(self, obj) -> str:
        return HIDDEN

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
