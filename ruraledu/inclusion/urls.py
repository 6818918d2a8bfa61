from django.urls import path

from . import views

app_name = "inclusion"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("rule/", views.RuleView.as_view(), name="rule"),
    path("children/", views.ChildListView.as_view(), name="child_list"),
    path("children/export/", views.ChildExportView.as_view(), name="child_export"),
    path("children/<int:pk>/decide/", views.DecideView.as_view(), name="decide"),
    path("decisions/<int:pk>/file/", views.DecisionFileView.as_view(), name="decision_file"),
    path("unplaced/", views.UnplacedView.as_view(), name="unplaced"),
    path("home/", views.HomeListView.as_view(), name="home_list"),
    path("home/<str:key>/", views.HomeDetailView.as_view(), name="home_detail"),
]
