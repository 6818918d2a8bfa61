from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "乡村教育振兴监测督导平台 · 管理后台"
admin.site.site_title = "乡村教育振兴监测督导平台"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="plans:plan_detail", permanent=False)),
    path("accounts/", include("ruraledu.accounts.urls")),
    path("plan/", include("ruraledu.plans.urls")),
    path("org/", include("ruraledu.orgunits.urls")),
    path("facilities/", include("ruraledu.facilities.urls")),
    path("staff/", include("ruraledu.workforce.urls")),
    path("students/", include("ruraledu.students.urls")),
    path("school-years/", include("ruraledu.core.urls")),
    path("indicators/", include("ruraledu.indicators.urls")),
    path("spreadsheets/", include("ruraledu.spreadsheets.urls")),
    path("admin/", admin.site.urls),
]
