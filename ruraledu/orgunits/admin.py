from django.contrib import admin

from ruraledu.audit.admin_mixins import AuditedModelAdmin

from .models import Department, EducationGroup, OrgUnit, Pairing, School, SchoolDistrict


class SchoolInline(admin.StackedInline):
    model = School
    extra = 0


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    autocomplete_fields = ["parent"]
    inlines = [SchoolInline]


@admin.register(School)
class SchoolAdmin(AuditedModelAdmin):
    list_display = ("org_unit", "stage", "ownership", "urban_rural_code", "is_town_seat")
    list_filter = ("stage", "ownership", "urban_rural_code", "is_town_seat")
    search_fields = ("org_unit__name", "org_unit__code")
    list_select_related = ["org_unit"]


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "full_name", "sort_order")
    search_fields = ("name", "full_name", "code")


# the org tree is official data: every admin change is audited with before and after
admin.site.register(SchoolDistrict, AuditedModelAdmin)
admin.site.register(EducationGroup, AuditedModelAdmin)
admin.site.register(Pairing, AuditedModelAdmin)
