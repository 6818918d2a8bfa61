from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path(
        "progress-reports/generate/",
        views.ProgressReportGenerateView.as_view(),
        name="progress_report_generate",
    ),
    path("<int:pk>/download/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("<int:pk>/final/", views.DocumentFinalDownloadView.as_view(), name="document_final"),
    path(
        "<int:pk>/final/upload/",
        views.DocumentFinalUploadView.as_view(),
        name="document_final_upload",
    ),
]
