from django.urls import path

from . import finding_views, growth_views, views

app_name = "care"
urlpatterns = [
    path("", views.CaseOverviewView.as_view(), name="overview"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/new/", views.CaseOpenView.as_view(), name="case_open"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/<str:step>/", views.CaseStepView.as_view(), name="case_step"),
    path("notices/<int:pk>/", views.NoticePrintView.as_view(), name="notice_print"),
    path("lists/", finding_views.FindingOverviewView.as_view(), name="finding_overview"),
    path("lists/<str:kind>/", finding_views.FindingListView.as_view(), name="finding_list"),
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
