from django.urls import path

from . import views

app_name = "students"
urlpatterns = [
    path("schools/<str:code>/", views.EnrolmentListView.as_view(), name="enrolment_list"),
    path("enrolments/<int:pk>/edit/", views.EnrolmentEditView.as_view(), name="enrolment_edit"),
    path("people/<int:pk>/id-number/", views.StudentIdRevealView.as_view(), name="id_reveal"),
]
