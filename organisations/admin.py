from django import forms
from django.contrib import admin

from .models import Membership, Organisation
from .services import check_roles_fit


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "roles"]

    def clean(self):
        cleaned = super().clean()
        organisation = getattr(self.instance, "organisation", None)
        if organisation is not None and cleaned.get("roles"):
            check_roles_fit(organisation, roles=cleaned["roles"])
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email", "phone", "coordinates_uncovered_areas"]
    list_filter = ["kind", "coordinates_uncovered_areas"]
    search_fields = ["name"]
    filter_horizontal = ["regions"]
    inlines = [MembershipInline]
