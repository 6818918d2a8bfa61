from django.urls import path

from . import file_views, finding_views, growth_views, privacy_views, views

app_name = "care"
urlpatterns = [
    path("", views.CaseOverviewView.as_view(), name="overview"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/new/", views.CaseOpenView.as_view(), name="case_open"),
    path("cases/export/", privacy_views.CaseExportView.as_view(), name="case_export"),
    path("cases/<int:pk>/files/", file_views.CaseFileUploadView.as_view(), name="case_file_add"),
    path("case-files/<int:pk>/", file_views.CaseFileDownloadView.as_view(), name="case_file"),
    path(
        "children/<int:pk>/access-log/",
        privacy_views.ChildAccessLogView.as_view(),
        name="child_access_log",
    ),
    path("retention/", privacy_views.RetentionView.as_view(), name="retention"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/<str:step>/", views.CaseStepView.as_view(), name="case_step"),
    path("notices/<int:pk>/", views.NoticePrintView.as_view(), name="notice_print"),
    path("lists/", finding_views.FindingOverviewView.as_view(), name="finding_overview"),
    path("lists/<str:kind>/", finding_views.FindingListView.as_view(), name="finding_list"),
    path(
        "lists/<str:kind>/export/",
        privacy_views.FindingExportView.as_view(),
        name="finding_export",
    ),
    path(
        "findings/<int:pk>/clear/",
        finding_views.FindingClearView.as_view(),
        name="finding_clear",
    ),
    path(
        "findings/<int:pk>/open-case/",
        finding_views.FindingOpenCaseView.as_view(),
        name="finding_open_case",
    ),
    path("growth/", growth_views.GrowthListView.as_view(), name="growth_list"),
    path(
        "growth/pupils/<int:pk>/open/",
        growth_views.GrowthOpenView.as_view(),
        name="growth_open",
    ),
    path(
        "growth/pupils/<int:pk>/take-over/",
        growth_views.GrowthTakeOverView.as_view(),
        name="growth_take_over",
    ),
    path("growth/<int:pk>/", growth_views.GrowthDetailView.as_view(), name="growth_detail"),
    path(
        "growth/<int:pk>/<str:step>/",
        growth_views.GrowthStepView.as_view(),
        name="growth_step",
    ),
    path(
        "cross-checks/",
        finding_views.CrossCheckStartView.as_view(),
        name="cross_check_start",
    ),
    path(
        "cross-checks/<int:pk>/",
        finding_views.CrossCheckDetailView.as_view(),
        name="cross_check_detail",
    ),
]
