from django.urls import path

from . import views

app_name = "workforce"
urlpatterns = [
    path("schools/<str:code>/", views.PostListView.as_view(), name="post_list"),
]
