from django.urls import path

from . import location_views, rotation_views, travel_views, views

app_name = "planning"
urlpatterns = [
    path("", views.ScenarioListView.as_view(), name="scenario_list"),
    path("new/", views.ScenarioFormView.as_view(), name="scenario_create"),
    path("compare/", views.ScenarioCompareView.as_view(), name="scenario_compare"),
    path("<int:pk>/", views.ScenarioDetailView.as_view(), name="scenario_detail"),
    path("<int:pk>/edit/", views.ScenarioFormView.as_view(), name="scenario_edit"),
    path("<int:pk>/run/", views.ScenarioRunView.as_view(), name="scenario_run"),
    path("<int:pk>/export/", views.ScenarioExportView.as_view(), name="scenario_export"),
    path("travel/", travel_views.TravelListView.as_view(), name="travel_list"),
    path("travel/new/", travel_views.TravelCreateView.as_view(), name="travel_create"),
    path("travel/<int:pk>/", travel_views.TravelDetailView.as_view(), name="travel_detail"),
    path("travel/<int:pk>/lock/", travel_views.TravelLockView.as_view(), name="travel_lock"),
    path("travel/<int:pk>/export/", travel_views.TravelExportView.as_view(), name="travel_export"),
    path("travel/locations/", location_views.LocationView.as_view(), name="locations"),
    path("rotation/", rotation_views.RotationView.as_view(), name="rotation"),
    path("rotation/decide/", rotation_views.RotationDecideView.as_view(), name="rotation_decide"),
]
