from django.urls import path

from . import monitoring_views, views

app_name = "evaluation"
E = "<str:unit>/<str:framework>/<int:year>/"
urlpatterns = [
    path("", views.EvaluationIndexView.as_view(), name="evaluation_index"),
    # fixed prefixes first: they would otherwise match <framework>/<year>/
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("s/<str:token>/<str:group>/", views.SurveyAnswerView.as_view(), name="survey_answer"),
    path("diagnosis/", views.UnitDiagnosisView.as_view(), name="unit_diagnosis"),
    path("diagnosis/<str:code>/", views.SchoolDiagnosisView.as_view(), name="school_diagnosis"),
    path(E, views.EvaluationDetailView.as_view(), name="evaluation_detail"),
    path(f"{E}experts/", views.ExpertAssignView.as_view(), name="expert_assign"),
    path(f"{E}close/", views.EvaluationCloseView.as_view(), name="evaluation_close"),
    path(f"{E}items/<str:code>/", views.ItemDetailView.as_view(), name="item_detail"),
    path(f"{E}items/<str:code>/figure/", views.ItemFigureView.as_view(), name="item_figure"),
    path(f"{E}items/<str:code>/evidence/", views.ItemEvidenceView.as_view(), name="item_evidence"),
    path(f"{E}items/<str:code>/review/", views.ItemReviewView.as_view(), name="item_review"),
    path(
        f"{E}items/<str:code>/threshold/", views.ItemThresholdView.as_view(), name="item_threshold"
    ),
    path(
        f"{E}monitoring/", monitoring_views.MonitoringImportView.as_view(), name="monitoring_import"
    ),
    path(
        f"{E}monitoring/template/",
        monitoring_views.MonitoringTemplateView.as_view(),
        name="monitoring_template",
    ),
    path(f"{E}survey/", views.SurveyManageView.as_view(), name="survey_manage"),
    path(f"{E}survey/settings/", views.SurveySettingsView.as_view(), name="survey_settings"),
    path(f"{E}survey/qr/", views.SurveyQrView.as_view(), name="survey_qr"),
    path(f"{E}survey/codes/", views.SurveyCodesView.as_view(), name="survey_codes"),
    path(f"{E}survey/import/", views.SurveyImportView.as_view(), name="survey_import"),
    path(f"{E}survey/template/", views.SurveyTemplateView.as_view(), name="survey_template"),
]
