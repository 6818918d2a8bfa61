from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on pages without a <link rel="icon"> (downloads, the
    public pages). The URL is found per request: the hashed name needs the static manifest."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


admin.site.site_header = "乡村教育振兴监测督导平台 · 管理后台"
admin.site.site_title = "乡村教育振兴监测督导平台"

urlpatterns = [
    # browsers ask for it on every page they open without a <link rel="icon">
    path("favicon.ico", FaviconView.as_view()),
    path("", include("ruraledu.dashboards.urls")),
    path("accounts/", include("ruraledu.accounts.urls")),
    path("plan/", include("ruraledu.plans.urls")),
    path("org/", include("ruraledu.orgunits.urls")),
    path("facilities/", include("ruraledu.facilities.urls")),
    path("staff/", include("ruraledu.workforce.urls")),
    path("students/", include("ruraledu.students.urls")),
    path("school-years/", include("ruraledu.schoolyears.urls")),
    path("indicators/", include("ruraledu.indicators.urls")),
    path("spreadsheets/", include("ruraledu.spreadsheets.urls")),
    path("reporting/", include("ruraledu.reporting.urls")),
    path("care/", include("ruraledu.care.urls")),
    path("aid/", include("ruraledu.aid.urls")),
    path("inclusion/", include("ruraledu.inclusion.urls")),
    path("leftbehind/", include("ruraledu.leftbehind.urls")),
    path("supervision/", include("ruraledu.supervision.urls")),
    path("hotline/", include("ruraledu.hotline.urls")),
    path("accountability/", include("ruraledu.accountability.urls")),
    path("audit/", include("ruraledu.audit.urls")),
    path("documents/", include("ruraledu.documents.urls")),
    path("evaluation/", include("ruraledu.evaluation.urls")),
    path("planning/", include("ruraledu.planning.urls")),
    path("forecast/", include("ruraledu.forecast.urls")),
    path("api/", include("ruraledu.api.urls")),
    path("channels/", include("ruraledu.channels.urls")),
    path("admin/", admin.site.urls),
]
