from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("", views.CaseOverviewView.as_view(), name="overview"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/new/", views.CaseOpenView.as_view(), name="case_open"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/<str:step>/", views.CaseStepView.as_view(), name="case_step"),
    path("notices/<int:pk>/", views.NoticePrintView.as_view(), name="notice_print"),
]
