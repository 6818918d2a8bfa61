from django.contrib import admin

from ruraledu.audit.admin_mixins import AuditedModelAdmin

from .models import AidAmount, AidCategory, AidKind


class AidAmountInline(admin.TabularInline):
    model = AidAmount
    extra = 0


# The eligibility rules are official data: every change here is audited with before and after
# (the amounts edited inline included).
@admin.register(AidCategory)
class AidCategoryAdmin(AuditedModelAdmin):
    list_display = ("name", "flag", "is_active", "order")
    list_editable = ("is_active",)


@admin.register(AidKind)
class AidKindAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "is_active", "confirmed", "order")
    filter_horizontal = ("categories",)
    inlines = [AidAmountInline]
