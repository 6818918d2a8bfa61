from django.urls import path

from . import views

app_name = "schoolyears"
urlpatterns = [
    path("", views.SchoolYearListView.as_view(), name="schoolyear_list"),
]
