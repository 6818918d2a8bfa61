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
    path("<int:pk>/pdf/", views.DocumentPdfDownloadView.as_view(), name="document_pdf"),
    path("<int:pk>/final/", views.DocumentFinalDownloadView.as_view(), name="document_final"),
    path(
        "<int:pk>/final/upload/",
        views.DocumentFinalUploadView.as_view(),
        name="document_final_upload",
    ),
    path(
        "diagnosis/<str:code>/generate/",
        views.DiagnosisGenerateView.as_view(),
        name="diagnosis_generate",
    ),
    path(
        "self-assessments/generate/",
        views.SelfAssessmentGenerateView.as_view(),
        name="self_assessment_generate",
    ),
    path(
        "notices/rectification/<int:pk>.<str:fmt>",
        views.RectificationNoticeDownloadView.as_view(),
        name="rectification_notice_download",
    ),
    path(
        "notices/return/<int:pk>.<str:fmt>",
        views.ReturnNoticeDownloadView.as_view(),
        name="return_notice_download",
    ),
    path("templates/", views.TemplateListView.as_view(), name="template_list"),
    path(
        "templates/<str:kind>/upload/",
        views.TemplateUploadView.as_view(),
        name="template_upload",
    ),
    path(
        "templates/<str:kind>/<int:version>/download/",
        views.TemplateDownloadView.as_view(),
        name="template_download",
    ),
]
