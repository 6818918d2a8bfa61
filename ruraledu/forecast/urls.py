from django.urls import path

from . import views

app_name = "forecast"
urlpatterns = [
    path("", views.ForecastOverviewView.as_view(), name="overview"),
    path("run/", views.ForecastRunView.as_view(), name="run"),
    path("schools/<int:pk>/", views.SchoolForecastView.as_view(), name="school_detail"),
    path("staffing/", views.StaffingView.as_view(), name="staffing"),
    path("staffing/rule/", views.StaffingRuleView.as_view(), name="staffing_rule"),
    path("subjects/", views.SubjectStaffingView.as_view(), name="subjects"),
    path("subjects/export/", views.SubjectExportView.as_view(), name="subjects_export"),
    path("subjects/rule/", views.SubjectRuleView.as_view(), name="subjects_rule"),
]
