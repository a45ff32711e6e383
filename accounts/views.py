"""Professional sign-in: password, then a mandatory second factor (TOTP or a recovery code)."""

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import selectors, services
from .decorators import is_fully_signed_in, verified_login_required
from .forms import LoginForm, SetupForm, VerifyForm

NEXT_SESSION_KEY = "pro_next"


class ProLoginView(LoginView):
    """Step 1: e-mail and password. axes counts failures through `authenticate`."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = False

    def form_valid(self, form):
        next_url = self.get_redirect_url()
        response = super().form_valid(form)
        if next_url:
            self.request.session[NEXT_SESSION_KEY] = next_url
        return response

    def get_success_url(self) -> str:
        if selectors.has_authenticator(self.request.user):
            return reverse("accounts:verify")
        return reverse("accounts:setup")


def _second_factor_given(request, device) -> None:
    """Mark the session verified, under a new key: a session id known before the second factor
    (fixed by an attacker, or read over a shoulder) opens nothing after it (ASVS 3.2.1). The new
    key is recorded like a sign-in, so that ending the user's sessions still reaches it."""
    otp_login(request, device)
    request.session.cycle_key()
    services.record_session(request.user, session_key=request.session.session_key)


def _after_second_factor(request):
    next_url = request.session.pop(NEXT_SESSION_KEY, None)
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return redirect(next_url)
    return redirect("accounts:dashboard")


@login_required
def verify(request):
    """Step 2: a code from the authenticator app, or a recovery code (each works once)."""
    if is_fully_signed_in(request.user):
        return _after_second_factor(request)
    if not selectors.has_authenticator(request.user):
        return redirect("accounts:setup")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(request.user, token=form.cleaned_data["token"])
        if device is not None:
            _second_factor_given(request, device)
            return _after_second_factor(request)
        form.add_error("token", _("This code is not correct or was already used."))
    return render(request, "accounts/verify.html", {"form": form})


@login_required
def setup(request):
    """First sign-in: link an authenticator app, then show the recovery codes once."""
    if selectors.has_authenticator(request.user):
        # A second authenticator only after the first was used: a stolen password adds none.
        return redirect("accounts:dashboard" if request.user.is_verified() else "accounts:verify")
    device = services.pending_totp_device(request.user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_totp_device(device, token=form.cleaned_data["token"])
        if codes is not None:
            _second_factor_given(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("token", _("This code is not correct. Check the time on your phone."))
    context = {
        "form": form,
        "qr_code": services.totp_qr_data_uri(device),
        "secret": b32encode(device.bin_key).decode(),
        "otpauth_uri": device.config_url,
    }
    return render(request, "accounts/setup.html", context)


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("accounts:login")


@verified_login_required
def dashboard(request):
    memberships = selectors.memberships_of(request.user)
    return render(request, "accounts/dashboard.html", {"memberships": memberships})


@sensitive_post_parameters()
@verified_login_required
def password_change(request):
    """Change one's own password: the current one first, the new one twice (ASVS 2.1.5, 2.1.6).

    Every other session of the user ends; this one continues with a fresh key, still verified.
    """
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return render(request, "accounts/password_change.html", {"form": form})
    if not form.is_valid():
        return render(request, "accounts/password_change.html", {"form": form}, status=400)
    services.change_password(
        request.user,
        new_password=form.cleaned_data["new_password1"],
        keep_session_key=request.session.session_key,
    )
    # A new session key with the same data (the second factor included), recorded like a sign-in
    # so that ending the user's sessions later still reaches this one.
    update_session_auth_hash(request, request.user)
    services.record_session(request.user, session_key=request.session.session_key)
    messages.success(request, _("Your password was changed. You are signed out everywhere else."))
    return redirect("accounts:dashboard")
