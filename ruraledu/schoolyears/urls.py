from django.urls import path

from . import schoolyear_views

app_name = "core"
urlpatterns = [
    path("", schoolyear_views.SchoolYearListView.as_view(), name="schoolyear_list"),
]
