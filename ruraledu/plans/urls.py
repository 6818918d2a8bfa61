from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.PlanDetailView.as_view(), name="plan_detail"),
    path("departments/", views.DepartmentListView.as_view(), name="department_list"),
    path(
        "departments/<slug:code>/", views.DepartmentDetailView.as_view(), name="department_detail"
    ),
]
