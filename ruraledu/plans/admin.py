from django.contrib import admin

from ruraledu.audit.admin_mixins import AuditedModelAdmin

from .models import Plan, Project, Responsibility, Section, Target, Task


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    fk_name = "project"


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0


# Every change made here is audited with before and after (inline tasks and responsibilities,
# and records deleted along with an object, included).
@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin):
    list_display = ("title", "document_number", "start_year", "end_year")


@admin.register(Section)
class SectionAdmin(AuditedModelAdmin):
    list_display = ("__str__", "kind", "plan")


@admin.register(Project)
class ProjectAdmin(AuditedModelAdmin):
    list_display = ("number", "name", "section")
    search_fields = ("name",)
    inlines = [TaskInline, ResponsibilityInline]


@admin.register(Target)
class TargetAdmin(AuditedModelAdmin):
    list_display = ("code", "text", "kind", "due_date", "indicator_code")
    list_filter = ("kind", "recurrence", "scope")
    search_fields = ("code", "text", "indicator_code")
    # a milestone is completed only through an approved progress report (audited there)
    readonly_fields = ("milestone_status",)
