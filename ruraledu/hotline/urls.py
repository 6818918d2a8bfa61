from django.urls import path

from . import views

app_name = "hotline"
urlpatterns = [
    path("", views.ComplaintListView.as_view(), name="complaint_list"),
    path("<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint_detail"),
]
