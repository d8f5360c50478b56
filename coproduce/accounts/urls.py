from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from coproduce.accounts import forms, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_verify, name="login_verify"),
    path("login/recovery-code/", views.login_recovery, name="login_recovery"),
    path("sso/<slug:provider>/start/", views.sso_start, name="sso_start"),
    path("sso/callback/", views.sso_callback, name="sso_callback"),
    path("sso/<slug:provider>/confirm/", views.sso_confirm, name="sso_confirm"),
    path("logout/", views.logout_view, name="logout"),
    path("confirm-password/", views.reauth, name="reauth"),
    path("security/", views.security, name="security"),
    path("security/remove/", views.security_remove, name="security_remove"),
    path(
        "security/recovery-codes/",
        views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("manage/", views.account_list, name="account_list"),
    path("manage/<int:pk>/", views.account_detail, name="account_detail"),
    path(
        "manage/<int:pk>/reset-two-step/",
        views.account_two_step_reset,
        name="account_two_step_reset",
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=forms.PasswordResetForm,
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
