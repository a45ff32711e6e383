"""The national desk's list of routing alerts: signals that reached nobody, and areas nobody of
their own covers. The functional admin sees the same in the Django admin."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.roles import sees_routing_alerts
from accounts.decorators import verified_login_required

from . import selectors, services
from .models import RoutingAlert


def _national_desk_or_404(user) -> None:
    if not sees_routing_alerts(user):
        raise Http404


@verified_login_required
def alerts(request):
    _national_desk_or_404(request.user)
    context = {"alerts": selectors.open_alerts()[:200], "coverage": selectors.uncovered_areas()}
    return render(request, "triage/alerts.html", context)


@verified_login_required
@require_POST
def resolve(request, alert_id: int):
    _national_desk_or_404(request.user)
    alert = get_object_or_404(RoutingAlert, pk=alert_id)
    if services.resolve_alert(alert):
        messages.success(request, _("The alert is marked as resolved."))
    return redirect("triage:alerts")
