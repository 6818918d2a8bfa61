from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.SupervisionHomeView.as_view(), name="home"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("visits/<int:pk>/<str:step>/", views.VisitStepView.as_view(), name="visit_step"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("notices/<int:pk>/", views.NoticePrintView.as_view(), name="notice_print"),
    path("items/", views.LedgerView.as_view(), name="ledger"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("observations/new/", views.ObservationCreateView.as_view(), name="observation_create"),
]
