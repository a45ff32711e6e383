from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from organisations.models import Organisation

from . import selectors, services
from .models import AreaCoverage, FailedTriage, RoutingAlert, RoutingRule


class RoutingRuleForm(forms.ModelForm):
    # Ticked kinds rather than a comma-separated list of codes.
    target_area_kinds = forms.MultipleChoiceField(
        label=RoutingRule._meta.get_field("target_area_kinds").verbose_name,
        help_text=RoutingRule._meta.get_field("target_area_kinds").help_text,
        choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = RoutingRule
        fields = [
            "name",
            "order",
            "is_active",
            "forms",
            "region",
            "municipality",
            "division",
            "minor",
            "urgent",
            "source_organisation_kind",
            "target_region",
            "target_organisation",
            "priority_override",
            "target_area_kinds",
            "legal_basis",
            "access_days",
        ]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleForm
    list_display = ["name", "order", "is_active", "target_region", "priority_override"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    filter_horizontal = ["forms"]
    autocomplete_fields = [
        "region",
        "municipality",
        "division",
        "target_region",
        "target_organisation",
    ]
    actions = ["try_rules"]

    @admin.action(description=_("Try the selected rules on the last 50 signals"))
    def try_rules(self, request, queryset):
        rows = services.preview_rules(list(queryset.prefetch_related("forms")))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Where recent signals would go"),
            "rules": queryset,
            "rows": rows,
            "changed": sum(row["changed"] for row in rows),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/triage/preview.html", context)


@admin.register(FailedTriage)
class FailedTriageAdmin(admin.ModelAdmin):
    """The dead letter: signals whose triage failed, with the error. No content of the signal."""

    list_display = ["public_id", "created_at", "triage_failed_at", "triage_error"]
    fields = ["public_id", "created_at", "triage_failed_at", "triage_error"]
    readonly_fields = fields
    actions = ["retry"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(triage_failed_at__isnull=False)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry triage"))
    def retry(self, request, queryset):
        count = services.retry_failed_triage(list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%d signal queued again.", "%d signals queued again.", count) % count,
            messages.SUCCESS,
        )


@admin.register(RoutingAlert)
class RoutingAlertAdmin(admin.ModelAdmin):
    """Routing that reached nobody: for the functional admin to act on (add a coordinator)."""

    list_display = ["created_at", "kind", "region", "alert_text", "resolved_at"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter), "region"]
    fields = ["created_at", "kind", "region", "alert_text", "resolved_at"]
    readonly_fields = fields
    actions = ["resolve"]

    @admin.display(description=_("alert"))
    def alert_text(self, alert: RoutingAlert) -> str:
        return alert.text

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Mark as resolved"))
    def resolve(self, request, queryset):
        count = sum(services.resolve_alert(alert) for alert in queryset)
        self.message_user(
            request,
            ngettext("%d alert resolved.", "%d alerts resolved.", count) % count,
            messages.SUCCESS,
        )


@admin.register(AreaCoverage)
class AreaCoverageAdmin(admin.ModelAdmin):
    """The coverage check: who gets each area's signals now, and which areas nobody covers."""

    change_list_template = "admin/triage/coverage.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = selectors.coverage_check()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Who covers each area"),
            "rows": rows,
            "uncovered": [row for row in rows if row.status != "covered"],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, self.change_list_template, context)
