from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.ScenarioListView.as_view(), name="scenario_list"),
    path("new/", views.ScenarioFormView.as_view(), name="scenario_create"),
    path("compare/", views.ScenarioCompareView.as_view(), name="scenario_compare"),
    path("<int:pk>/", views.ScenarioDetailView.as_view(), name="scenario_detail"),
    path("<int:pk>/edit/", views.ScenarioFormView.as_view(), name="scenario_edit"),
    path("<int:pk>/run/", views.ScenarioRunView.as_view(), name="scenario_run"),
    path("<int:pk>/export/", views.ScenarioExportView.as_view(), name="scenario_export"),
]
