"""The functional admin's view of organisations and members. Every change to a membership goes
through organisations.services, as on the organisation admin's own page: the rules apply (the
last admin, the privacy officer's role), the change is audited, and a role lost signs the
person out at once."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.decorators import sign_out_if_session_ended

from . import services
from .models import Membership, MembershipChange, Organisation, RoleRequest


class MembershipInline(admin.TabularInline):
    """Read-only: a member is added, changed or removed on the membership's own page."""

    model = Membership
    fields = ["user", "roles"]
    readonly_fields = ["user", "roles"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email", "phone", "coordinates_uncovered_areas"]
    list_filter = ["kind", "coordinates_uncovered_areas"]
    search_fields = ["name"]
    filter_horizontal = ["regions"]
    inlines = [MembershipInline]


class MembershipForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Membership.Role.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Membership
        fields = ["user", "organisation", "roles"]

    def clean(self):
        cleaned = super().clean()
        roles = cleaned.get("roles") or []
        organisation = cleaned.get("organisation") or getattr(self.instance, "organisation", None)
        if organisation is not None and roles:
            services.check_roles_fit(organisation, roles=roles)
        if (
            self.instance.pk is not None
            and Membership.Role.ORGANISATION_ADMIN not in roles
            and services.is_last_admin(self.instance)
        ):
            raise forms.ValidationError(
                _("The organisation needs at least one organisation admin.")
            )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "organisation", "roles"]
    list_filter = ["organisation"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def get_readonly_fields(self, request, obj=None):
        # Another person or organisation is another membership: remove this one, add that one.
        return ["user", "organisation"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        roles = form.cleaned_data["roles"]
        if change:
            membership = services.set_roles(obj, roles=roles, by=request.user)
        else:
            membership = services.add_member(
                obj.organisation, user=obj.user, roles=roles, by=request.user
            )
        obj.pk = membership.pk
        if set(roles) - set(membership.roles):
            messages.warning(request, services.ASKED_FOR_APPROVAL)
        # A role of one's own taken away ends one's sessions, this one too.
        sign_out_if_session_ended(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (
            obj is not None and services.is_last_admin(obj)
        )

    def delete_model(self, request, obj):
        services.remove_member(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            try:
                services.remove_member(membership, by=request.user)
            except services.LastAdminError:
                messages.error(
                    request,
                    _("%(member)s is the last admin of %(organisation)s and was not removed.")
                    % {"member": membership.user, "organisation": membership.organisation},
                )


@admin.register(MembershipChange)
class MembershipChangeAdmin(admin.ModelAdmin):
    """Read-only: the record of changes to members is not edited by anyone."""

    list_display = ["created_at", "organisation", "member_email", "kind", "by", "roles_after"]
    list_filter = ["kind", "organisation"]
    search_fields = ["member_email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleRequest)
class RoleRequestAdmin(admin.ModelAdmin):
    """Read-only: a role asked for is granted by another admin of the organisation."""

    list_display = ["created_at", "membership", "role", "decided_at", "decided_by", "approved"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
