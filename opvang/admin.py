from django.contrib import admin

from .models import Offer, PlacementRequest


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "provider",
        "kind",
        "region",
        "free_places",
        "total_places",
        "updated_at",
    ]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "provider__name"]
    filter_horizontal = ["forms"]
    readonly_fields = ["public_id"]


@admin.register(PlacementRequest)
class PlacementRequestAdmin(admin.ModelAdmin):
    list_display = ["public_id", "offer", "status", "created_at", "answered_at", "reminded_at"]
    list_filter = ["status"]
    raw_id_fields = ["signal", "offer", "requested_by", "answered_by"]
    readonly_fields = ["public_id"]
