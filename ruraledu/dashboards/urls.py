from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.CockpitView.as_view(), name="cockpit"),
    path("units/<str:code>/profile/", views.UnitProfileView.as_view(), name="unit_profile"),
    path("yzjh/", views.YzjhView.as_view(), name="yzjh"),
    path("city/", views.CityView.as_view(), name="city"),
    # a key project of the plan, at the plan's address
    path("plan/projects/<int:number>/", views.ProjectDetailView.as_view(), name="project_detail"),
]
