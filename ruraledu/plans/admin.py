from django.contrib import admin

from .models import Plan, Project, Responsibility, Section, Target, Task


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    fk_name = "project"


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("title", "document_number", "start_year", "end_year")


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "plan")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "section")
    search_fields = ("name",)
    inlines = [TaskInline, ResponsibilityInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("code", "text", "kind", "due_date", "indicator_code")
    list_filter = ("kind", "recurrence", "scope")
    search_fields = ("code", "text", "indicator_code")
    # a milestone is completed only through an approved progress report (audited there)
    readonly_fields = ("milestone_status",)
