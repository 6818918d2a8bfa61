from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.AuditEventListView.as_view(), name="event_list"),
    path("personal-data/", views.PersonalAccessListView.as_view(), name="personal_access_list"),
    path("csp-reports/", views.CspReportListView.as_view(), name="csp_report_list"),
    path("csp-report/", views.CspReportView.as_view(), name="csp_report"),
    path(
        "records/<slug:app_label>/<slug:model>/<str:object_id>/",
        views.AuditRecordView.as_view(),
        name="record_history",
    ),
]
