from django.contrib import admin

from .models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody changes or deletes the access log through the application."""

    list_display = ["created_at", "user", "organisation", "action", "purpose"]
    list_filter = ["action", "organisation"]
    readonly_fields = [
        "created_at",
        "user",
        "organisation",
        "signal",
        "action",
        "purpose",
        "detail",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
