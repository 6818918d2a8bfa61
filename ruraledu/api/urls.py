from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import token_views, views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", token_views.TokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.TokenRevokeView.as_view(), name="token_revoke"),
    path("v1/units/", views.UnitList.as_view(), name="units"),
    path("v1/units/<str:code>/", views.UnitDetail.as_view(), name="unit"),
    path("v1/schools/", views.SchoolList.as_view(), name="schools"),
    path("v1/schools/<str:code>/", views.SchoolDetail.as_view(), name="school"),
    path("v1/staff/", views.StaffList.as_view(), name="staff"),
    path("v1/staff/<int:pk>/", views.StaffDetail.as_view(), name="staff_post"),
    path("v1/students/", views.PupilList.as_view(), name="students"),
    path("v1/students/<int:pk>/", views.PupilDetail.as_view(), name="student"),
    path("v1/plan/sections/", views.SectionList.as_view(), name="sections"),
    path("v1/plan/projects/", views.ProjectList.as_view(), name="projects"),
    path("v1/plan/targets/", views.TargetList.as_view(), name="targets"),
    path("v1/target-states/", views.TargetStateList.as_view(), name="target_states"),
    path(
        "v1/target-status-changes/", views.TargetStatusChangeList.as_view(), name="target_changes"
    ),
    path("v1/indicators/", views.IndicatorList.as_view(), name="indicators"),
    path("v1/indicators/<str:code>/", views.IndicatorDetail.as_view(), name="indicator"),
    path("v1/values/", views.ValueList.as_view(), name="values"),
    path("v1/reporting-periods/", views.PeriodList.as_view(), name="periods"),
    path("v1/reports/", views.ReportList.as_view(), name="reports"),
    path("v1/reports/<int:pk>/", views.ReportDetail.as_view(), name="report"),
    path("v1/import-jobs/", views.ImportJobList.as_view(), name="import_jobs"),
    path("v1/import-jobs/<int:pk>/", views.ImportJobDetail.as_view(), name="import_job"),
    path("v1/recompute/", views.Recompute.as_view(), name="recompute"),
    path("v1/dhis2/dataValueSets/", views.DataValueSets.as_view(), name="data_value_sets"),
    # last: a path ending in "/" that nothing above knows; one without the slash is first
    # redirected to it (APPEND_SLASH), as a known path missing its slash still is
    re_path(r"^(?:.*/)?$", views.UnknownPath.as_view(), name="unknown"),
]
