from django.urls import path

from . import views

app_name = "spreadsheets"
urlpatterns = [
    path("", views.ImportJobListView.as_view(), name="job_list"),
    path("kinds/<slug:kind>/template/", views.SheetTemplateView.as_view(), name="template"),
    path("kinds/<slug:kind>/export/", views.ExportView.as_view(), name="export"),
    path("kinds/<slug:kind>/upload/", views.ImportJobCreateView.as_view(), name="upload"),
    path("exports/", views.ExportJobTableView.as_view(), name="export_table"),
    path("exports/new/", views.ExportJobCreateView.as_view(), name="export_all"),
    path("exports/<int:pk>/", views.ExportJobDownloadView.as_view(), name="export_download"),
    path("jobs/<int:pk>/", views.ImportJobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/retry/", views.ImportJobRetryView.as_view(), name="job_retry"),
    path(
        "jobs/<int:pk>/error-copy/",
        views.ImportJobErrorCopyView.as_view(),
        name="job_error_copy",
    ),
]
