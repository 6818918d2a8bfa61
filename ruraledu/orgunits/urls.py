from django.urls import path

from . import views

app_name = "orgunits"
urlpatterns = [
    path("", views.UnitHomeView.as_view(), name="unit_home"),
    path("units/<str:code>/", views.UnitDetailView.as_view(), name="unit_detail"),
]
