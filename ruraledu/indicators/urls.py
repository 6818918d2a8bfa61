from django.urls import path

from . import standards_views, views

app_name = "indicators"
urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="indicator_list"),
    path("recompute/", views.RecomputeView.as_view(), name="recompute"),
    path("targets/<str:code>/", views.TargetDetailView.as_view(), name="target_detail"),
    path("standards/", standards_views.StandardListView.as_view(), name="standard_list"),
    path(
        "standards/<slug:code>/<slug:stage>/",
        standards_views.StandardEditView.as_view(),
        name="standard_edit",
    ),
    path("<slug:code>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("<slug:code>/records/", views.IndicatorRecordsView.as_view(), name="indicator_records"),
]
