from django.contrib import admin

from .models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email", "phone", "coordinates_uncovered_areas"]
    list_filter = ["kind", "coordinates_uncovered_areas"]
    search_fields = ["name"]
    filter_horizontal = ["regions"]
    inlines = [MembershipInline]
