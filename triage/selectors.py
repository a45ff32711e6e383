"""Queries for triage: the facts of a signal, the rules, who covers which area, and who is told."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet, Sum

from access.selectors import coordinating_organisations
from organisations.models import Membership, Organisation
from organisations.selectors import COORDINATING_KINDS
from regions.models import Region
from signals.models import Signal

from .models import FloodAlert, Notification, RoutingAlert, RoutingRule
from .rules import Coordinator, Coverage, Rule, SignalFacts, coordinators_for

# The permission that makes an organisation's coordinators the ones who handle a signal.


def signal_facts(signal: Signal) -> SignalFacts:
    municipality = signal.municipality
    return SignalFacts(
        received_at=signal.created_at,
        region_code=municipality.region.code if municipality else None,
        municipality_code=municipality.code if municipality else None,
        division_codes=frozenset(d.code for d in municipality.divisions)
        if municipality
        else (frozenset()),
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
        division_code=rule.division.code if rule.division else None,
        minor=rule.minor,
        urgent=rule.urgent,
        source_organisation_kind=rule.source_organisation_kind,
        target_region_code=rule.target_region.code if rule.target_region else None,
        target_organisation_id=rule.target_organisation_id,
        priority_override=rule.priority_override,
        target_area_kinds=frozenset(rule.target_area_kinds),
        legal_basis=rule.legal_basis,
        access_days=rule.access_days,
    )


def routing_rules(*, including: list[RoutingRule] | None = None) -> list[Rule]:
    """The active rules in order; `including` adds inactive ones as if they were active."""
    rules = RoutingRule.objects.filter(is_active=True).select_related(
        "region", "municipality", "division", "target_region"
    )
    chosen = {rule.pk: rule for rule in rules.prefetch_related("forms")}
    for rule in including or []:
        chosen[rule.pk] = rule
    return [as_rule(rule) for rule in sorted(chosen.values(), key=lambda r: (r.order, r.pk))]


def area_organisations(kinds: tuple[str, ...], *, region_code: str) -> list[Organisation]:
    """The organisations of `kinds` that serve the area; where none does, those of `kinds` that
    serve no area at all (national ones, such as the CKM or Nidos)."""
    candidates = Organisation.objects.filter(kind__in=kinds).order_by("name")
    serving = list(candidates.filter(regions__code=region_code).distinct())
    return serving or list(candidates.filter(regions__isnull=True))


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
        # Bundled ones wait for their digest (services.send_flood_digests), not the sweeper.
        Notification.objects.filter(sent_at__isnull=True, created_at__lt=older_than, bundled=False)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def _active_coordinator_organisations() -> QuerySet[Organisation]:
    """Coordinator organisations (and the national desk) with at least one active coordinator."""
    return (
        Organisation.objects.filter(
            kind__in=COORDINATING_KINDS,
            memberships__roles__contains=[Membership.Role.COORDINATOR],
            memberships__user__is_active=True,
        )
        .distinct()
        .prefetch_related("regions")
    )


def coverage() -> Coverage:
    """Who can act on which area's signals right now, for `rules.decide`."""
    active: dict[str, list[Coordinator]] = defaultdict(list)
    fallback = []
    for organisation in _active_coordinator_organisations():
        coordinator = Coordinator(organisation.pk, organisation.name)
        for region in organisation.regions.all():
            active[region.code].append(coordinator)
        if organisation.coordinates_uncovered_areas:
            fallback.append(coordinator)
    desk = Region.objects.filter(kind=Region.Kind.NATIONAL_DESK).first()
    return Coverage(
        active={code: tuple(coordinators) for code, coordinators in active.items()},
        served=frozenset(
            Region.objects.filter(organisations__kind__in=COORDINATING_KINDS).values_list(
                "code", flat=True
            )
        ),
        area_names={region.code: region.name for region in Region.objects.all()},
        fallback=tuple(fallback),
        national_desk=tuple(active.get(desk.code, ())) if desk else (),
        fallback_setting=settings.ROUTING_FALLBACK,
    )


@dataclass(frozen=True)
class AreaCoverageRow:
    """One line of the coverage check: an area, who coordinates it and whether that is its own
    coordinator, the fallback, or nobody at all."""

    region: Region
    coordinators: tuple[Coordinator, ...]
    fallback: bool

    @property
    def status(self) -> str:
        if not self.coordinators:
            return "nobody"
        return "fallback" if self.fallback else "covered"


def coverage_check(current: Coverage | None = None) -> list[AreaCoverageRow]:
    """Every active area (and the national desk) with who would get its signals now."""
    current = current or coverage()
    rows = []
    for region in Region.objects.filter(is_active=True).order_by("kind", "name"):
        coordinators, fallback, _reason = coordinators_for(region.code, current)
        rows.append(AreaCoverageRow(region, coordinators, fallback))
    return rows


def uncovered_areas() -> list[AreaCoverageRow]:
    """The areas nobody of their own covers: those falling back, and those reaching nobody."""
    return [row for row in coverage_check() if row.status != "covered"]


def coverage_detail() -> dict:
    """For /healthz: the areas without a coordinator of their own, and those reaching nobody."""
    rows = uncovered_areas()
    nobody = [row.region.code for row in rows if row.status == "nobody"]
    return {
        "status": "degraded" if nobody else "ok",
        "covered_by_fallback": [row.region.code for row in rows if row.status == "fallback"],
        "covered_by_nobody": nobody,
    }


def areas_coordinated_by(organisations: QuerySet[Organisation]) -> list[int]:
    """The areas whose signals these organisations may be given: the ones they serve, and for
    the fallback (CoMensha) and the national desk every area, since either may cover any."""
    if (
        organisations.filter(coordinates_uncovered_areas=True).exists()
        or organisations.filter(kind=Organisation.Kind.NATIONAL_DESK).exists()
    ):
        return list(Region.objects.values_list("pk", flat=True))
    served = organisations.values_list("regions", flat=True)
    return sorted({region for region in served if region is not None})


def _coordinator_addresses(organisations) -> list[str]:
    """The organisations' contact addresses and those of their active coordinators."""
    members = get_user_model().objects.filter(
        memberships__organisation__in=organisations,
        memberships__roles__contains=[Membership.Role.COORDINATOR],
        is_active=True,
    )
    addresses = [
        *organisations.exclude(email="").values_list("email", flat=True),
        *members.values_list("email", flat=True),
    ]
    return sorted(set(addresses))


def notification_recipients(signal: Signal) -> list[str]:
    """Where a signal's notification goes: the active coordinators of the organisations that
    handle it, and those organisations' contact addresses."""
    return _coordinator_addresses(coordinating_organisations(signal))


def national_desk_addresses() -> list[str]:
    """The national desk's active coordinators and its contact addresses: where a flood alert
    goes."""
    return _coordinator_addresses(Organisation.objects.filter(kind=Organisation.Kind.NATIONAL_DESK))


def open_alerts() -> QuerySet[RoutingAlert]:
    return RoutingAlert.objects.filter(resolved_at__isnull=True).select_related("signal", "region")


def recent_signals(limit: int = 50) -> list[Signal]:
    return list(
        Signal.objects.exclude(status__in=[Signal.Status.NEW, Signal.Status.DRAFT])
        .select_related(
            "municipality__region",
            "municipality__safety_region",
            "municipality__province",
            "municipality__police_unit",
            "submitted_by",
            "region",
        )
        .order_by("-created_at")[:limit]
    )


def recent_flood_alerts(limit: int = 20) -> list[FloodAlert]:
    return list(FloodAlert.objects.all()[:limit])
