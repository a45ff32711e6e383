from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.ProLoginView.as_view(), name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("2fa/setup/", views.setup, name="setup"),
    path("2fa/verify/", views.verify, name="verify"),
]
