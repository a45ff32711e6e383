"""Who may call the API: a fully signed-in person (password and second factor) or an active key.
Read-only keys may only read."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.decorators import is_fully_signed_in

from .models import ApiKey


class IsFullySignedInOrApiKey(permissions.BasePermission):
    message = _("Sign in with a second factor, or use an API key.")

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, ApiKey):
            return request.user.is_active
        return is_fully_signed_in(request.user)


class ApiKeyScopeAllows(permissions.BasePermission):
    message = _("This API key may only read.")

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or not isinstance(request.auth, ApiKey):
            return True
        return request.auth.can_write
