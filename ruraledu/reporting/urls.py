from django.urls import path, register_converter

from . import views


class CodeConverter:
    """A target code: any text up to a slash, except NUL (which PostgreSQL refuses in a query
    parameter, so it would otherwise be a 500 rather than a 404)."""

    regex = r"[^/\x00]{1,32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "target_code")

app_name = "reporting"
urlpatterns = [
    path("my/", views.MyReportsView.as_view(), name="my_reports"),
    path("review/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("periods/<int:period_pk>/start/", views.ReportStartView.as_view(), name="report_start"),
    path("periods/<int:period_pk>/urge/", views.ReportUrgeView.as_view(), name="report_urge"),
    path("progress-reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("progress-reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path(
        "progress-reports/<int:pk>/submit/", views.ReportSubmitView.as_view(), name="report_submit"
    ),
    path(
        "progress-reports/<int:pk>/return/", views.ReportReturnView.as_view(), name="report_return"
    ),
    path(
        "progress-reports/<int:pk>/approve/",
        views.ReportApproveView.as_view(),
        name="report_approve",
    ),
    path(
        "progress-reports/<int:pk>/evidence/",
        views.EvidenceUploadView.as_view(),
        name="evidence_upload",
    ),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("projects/<int:number>/", views.ProjectReportsView.as_view(), name="project_reports"),
    path("projects/<int:number>/schedule/", views.ScheduleEditView.as_view(), name="schedule_edit"),
    path("milestones/", views.MilestoneListView.as_view(), name="milestone_list"),
    path("milestones/<target_code:code>/", views.MilestoneSetView.as_view(), name="milestone_set"),
    path("holidays/", views.HolidayListView.as_view(), name="holiday_list"),
    path("holidays/set/", views.HolidaySetView.as_view(), name="holiday_set"),
    path("holidays/seed/", views.HolidaySeedView.as_view(), name="holiday_seed"),
    path("holidays/<int:pk>/delete/", views.HolidayDeleteView.as_view(), name="holiday_delete"),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/read/", views.NotificationReadView.as_view(), name="notification_read_all"),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification_read",
    ),
]
