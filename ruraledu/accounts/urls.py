from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("login-locks/", views.LoginLockListView.as_view(), name="lock_list"),
    path("login-locks/release/", views.LoginLockReleaseView.as_view(), name="lock_release"),
    path("two-factor/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/enrol/", views.TwoFactorEnrolView.as_view(), name="two_factor_enrol"),
    path("two-factor/reset/", views.TwoFactorResetView.as_view(), name="two_factor_reset"),
]
