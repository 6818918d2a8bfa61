from django.urls import path

from . import views, views_lessons, views_overview, views_people, views_setup

app_name = "supervision"
urlpatterns = [
    path("", views.SupervisionHomeView.as_view(), name="home"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("visits/<int:pk>/<str:step>/", views.VisitStepView.as_view(), name="visit_step"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("notices/<int:pk>/", views.NoticePrintView.as_view(), name="notice_print"),
    path("items/", views.LedgerView.as_view(), name="ledger"),
    path("overview/", views_overview.OverviewView.as_view(), name="overview"),
    path("zones/<int:pk>/", views_overview.ZoneDetailView.as_view(), name="zone_detail"),
    path(
        "inspectors/<int:pk>/",
        views_overview.InspectorDetailView.as_view(),
        name="inspector_detail",
    ),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("observations/new/", views.ObservationCreateView.as_view(), name="observation_create"),
    path("lessons/", views_lessons.LessonRecordView.as_view(), name="lesson_record"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("schools/<int:pk>/card/", views_people.CardView.as_view(), name="card"),
    path("schools/<int:pk>/card/photo/", views_people.CardPhotoView.as_view(), name="card_photo"),
    path("setup/", views_setup.SetupView.as_view(), name="setup"),
    path("setup/zones/new/", views_setup.ZoneEditView.as_view(), name="zone_create"),
    path("setup/zones/<int:pk>/", views_setup.ZoneEditView.as_view(), name="zone_edit"),
    path("setup/kinds/new/", views_setup.KindEditView.as_view(), name="kind_create"),
    path("setup/kinds/<int:pk>/", views_setup.KindEditView.as_view(), name="kind_edit"),
    path("setup/checklists/new/", views_setup.ChecklistEditView.as_view(), name="checklist_create"),
    path(
        "setup/checklists/<int:pk>/", views_setup.ChecklistEditView.as_view(), name="checklist_edit"
    ),
    path("setup/assignments/", views_people.AssignmentListView.as_view(), name="assignment_list"),
    path("setup/links/", views_people.LinkListView.as_view(), name="link_list"),
]
