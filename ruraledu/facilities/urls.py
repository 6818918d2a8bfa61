from django.urls import path

from . import views

app_name = "facilities"
urlpatterns = [
    path("<str:code>/", views.FacilityDetailView.as_view(), name="facility_detail"),
    path("<str:code>/edit/", views.FacilityEditView.as_view(), name="facility_edit"),
]
