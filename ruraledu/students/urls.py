from django.urls import path

from . import transfer_views, views

app_name = "students"
urlpatterns = [
    path("schools/<str:code>/", views.EnrolmentListView.as_view(), name="enrolment_list"),
    path("enrolments/<int:pk>/edit/", views.EnrolmentEditView.as_view(), name="enrolment_edit"),
    path("people/<int:pk>/id-number/", views.StudentIdRevealView.as_view(), name="id_reveal"),
    path("transfers/", transfer_views.TransferListView.as_view(), name="transfer_list"),
    path(
        "transfers/<int:pk>/decide/",
        transfer_views.TransferDecideView.as_view(),
        name="transfer_decide",
    ),
]
