from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import AreaContact, Division, Municipality, Place, Postcode, Region


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    fields = ["code", "name"]
    readonly_fields = ["code", "name"]
    extra = 0
    show_change_link = True


class AreaContactInline(admin.TabularInline):
    model = AreaContact
    fields = ["organisation", "phone", "phone_alt", "email", "audience", "order"]
    extra = 0


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ["name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    inlines = [AreaContactInline, MunicipalityInline]


@admin.register(AreaContact)
class AreaContactAdmin(admin.ModelAdmin):
    list_display = ["organisation", "region", "phone", "email", "audience"]
    list_filter = ["region"]
    search_fields = ["organisation"]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "safety_region", "province", "police_unit"]
    list_filter = ["region", "province", "safety_region"]
    search_fields = ["name", "code"]
    list_select_related = ["region", "safety_region", "province", "police_unit"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "kind", "rank"]
    list_filter = ["kind", "rank"]
    search_fields = ["name", "key", "municipality__name"]
    autocomplete_fields = ["municipality"]
    list_select_related = ["municipality"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["postcode", "municipality"]
    search_fields = ["postcode", "municipality__name"]
    autocomplete_fields = ["municipality"]
    list_select_related = ["municipality"]
