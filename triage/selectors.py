"""Queries for triage."""

from datetime import datetime

from django.db.models import Sum

from organisations.models import Membership, Organisation
from regions.models import Region
from signals.models import Signal

from .models import Notification, RoutingRule
from .rules import Rule, SignalFacts


def signal_facts(signal: Signal) -> SignalFacts:
    municipality = signal.municipality
    return SignalFacts(
        received_at=signal.created_at,
        region_code=municipality.region.code if municipality else None,
        municipality_code=municipality.code if municipality else None,
        form_codes=frozenset(signal.forms.values_list("code", flat=True)),
        minor=signal.involves_minor,
        urgent=signal.is_urgent,
        source_organisation_kind=signal.submitted_by.kind if signal.submitted_by else "",
        indicator_weight=signal.indicators.aggregate(total=Sum("weight"))["total"] or 0,
    )


def as_rule(rule: RoutingRule) -> Rule:
    return Rule(
        name=rule.name,
        form_codes=frozenset(form.code for form in rule.forms.all()),
        region_code=rule.region.code if rule.region else None,
        municipality_code=rule.municipality.code if rule.municipality else None,
        minor=rule.minor,
        urgent=rule.urgent,
        source_organisation_kind=rule.source_organisation_kind,
        target_region_code=rule.target_region.code if rule.target_region else None,
        target_organisation_id=rule.target_organisation_id,
        priority_override=rule.priority_override,
    )


def routing_rules(*, including: list[RoutingRule] | None = None) -> list[Rule]:
    """The active rules in order; `including` adds inactive ones as if they were active."""
    rules = RoutingRule.objects.filter(is_active=True).select_related(
        "region", "municipality", "target_region"
    )
    chosen = {rule.pk: rule for rule in rules.prefetch_related("forms")}
    for rule in including or []:
        chosen[rule.pk] = rule
    return [as_rule(rule) for rule in sorted(chosen.values(), key=lambda r: (r.order, r.pk))]


def untriaged_signal_ids(*, older_than: datetime, limit: int = 1000) -> list[int]:
    """Signals still new after `older_than` that are not in the dead-letter list."""
    return list(
        Signal.objects.filter(
            status=Signal.Status.NEW, created_at__lt=older_than, triage_failed_at__isnull=True
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def unsent_notification_ids(*, older_than: datetime, limit: int = 1000) -> list[int]:
    return list(
        Notification.objects.filter(sent_at__isnull=True, created_at__lt=older_than)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def coordinator_addresses(region: Region) -> list[str]:
    """Where a region's notifications go: its coordinator organisations and their coordinators."""
    organisations = Organisation.objects.filter(regions=region)
    members = Membership.objects.filter(
        organisation__in=organisations,
        roles__contains=[Membership.Role.COORDINATOR],
        user__is_active=True,
    ).values_list("user__email", flat=True)
    addresses = [*organisations.exclude(email="").values_list("email", flat=True), *members]
    if region.email:
        addresses.append(region.email)
    return sorted(set(addresses))


def recent_signals(limit: int = 50) -> list[Signal]:
    return list(
        Signal.objects.exclude(status__in=[Signal.Status.NEW, Signal.Status.DRAFT])
        .select_related("municipality__region", "submitted_by", "region")
        .order_by("-created_at")[:limit]
    )
