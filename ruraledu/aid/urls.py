from django.urls import path

from . import views

app_name = "aid"
urlpatterns = [
    path("", views.GapListView.as_view(), name="gap_list"),
    path("export/", views.GapExportView.as_view(), name="gap_export"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("publicity/", views.PublicityView.as_view(), name="publicity"),
    path("publicity/<int:pk>/end/", views.PublicityEndView.as_view(), name="publicity_end"),
    path("p/<str:token>/", views.PublicPublicityView.as_view(), name="public"),
]
