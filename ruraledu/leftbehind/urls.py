from django.urls import path

from . import views

app_name = "leftbehind"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("children/", views.ChildListView.as_view(), name="child_list"),
    path("children/<int:pk>/", views.ChildDetailView.as_view(), name="child_detail"),
    path("children/<int:pk>/mentor/", views.MentorAssignView.as_view(), name="mentor_assign"),
    path("children/<int:pk>/contacts/", views.ContactAddView.as_view(), name="contact_add"),
    path("room/", views.ActivityListView.as_view(), name="activity_list"),
    path("room/<int:pk>/photo/", views.ActivityPhotoView.as_view(), name="activity_photo"),
]
