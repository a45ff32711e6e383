from django.contrib import admin

from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made by organisation admins on /pro/api-keys/ (the secret is shown only there)."""

    list_display = ["name", "prefix", "organisation", "scope", "created_at", "revoked_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "prefix", "organisation__name"]
    readonly_fields = [
        "public_id",
        "organisation",
        "prefix",
        "scope",
        "service_user",
        "created_by",
        "created_at",
        "last_used_at",
    ]
    exclude = ["secret_hash"]

    def has_add_permission(self, request) -> bool:
        return False
