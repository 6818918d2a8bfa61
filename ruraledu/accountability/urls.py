from django.urls import path

from . import views

app_name = "accountability"
urlpatterns = [
    path("", views.StepListView.as_view(), name="step_list"),
    path("candidates/", views.CandidateListView.as_view(), name="candidate_list"),
    path("recent/", views.RecentStepsView.as_view(), name="recent"),
    path("<int:pk>/", views.StepDetailView.as_view(), name="step_detail"),
    path("<int:pk>/document/", views.DocumentDownloadView.as_view(), name="document"),
]
