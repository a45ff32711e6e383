"""Who may use which part of the portal, by their roles in organisations (reads only).

The one place for these decisions: pages, the API and the professional menu all ask here. The
membership queries they rest on are plain reads in `organisations.selectors`; what may be done
with a single signal is `access.selectors.can`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from organisations.models import Membership, Organisation
from organisations.selectors import (
    administered_organisations,
    coordinator_organisations,
    organisations_where,
    provider_organisations,
)
from regions.models import Region

Role = Membership.Role


def is_coordinator(user) -> bool:
    """A care coordinator (zorgcoördinator) of a coordinator organisation or the national desk."""
    return bool(user.is_authenticated and coordinator_organisations(user).exists())


def sees_routing_alerts(user) -> bool:
    """The national desk's coordinators (and staff) watch routing that reached nobody."""
    return bool(user.is_authenticated and (user.is_staff or is_national_desk(user)))


def is_national_desk(user) -> bool:
    """A coordinator of the national desk (landelijke desk): sees connections across regions."""
    return bool(
        user.is_authenticated
        and coordinator_organisations(user).filter(kind=Organisation.Kind.NATIONAL_DESK).exists()
    )


def intake_organisations(user) -> QuerySet[Organisation]:
    """The organisations the user may log a signal for: those where they are a professional."""
    return organisations_where(user, Role.PROFESSIONAL).order_by("name")


def privacy_officer_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose access log the user may read, as their privacy officer (FG)."""
    return organisations_where(user, Role.PRIVACY_OFFICER).order_by("name")


def is_privacy_officer(user) -> bool:
    return bool(user.is_authenticated and privacy_officer_organisations(user).exists())


def is_organisation_admin(user) -> bool:
    """An organisation admin somewhere: manages its members and API keys."""
    return bool(user.is_authenticated and administered_organisations(user).exists())


def may_read_monitor(user) -> bool:
    """Analysts, the national desk and the functional admin read the monitor."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return Membership.objects.filter(
        Q(roles__contains=[Role.ANALYST]) | Q(organisation__kind=Organisation.Kind.NATIONAL_DESK),
        user=user,
    ).exists()


def monitor_areas(user) -> QuerySet[Region]:
    """The areas whose own figures the user may read: those a coordinator organisation of
    theirs serves (its coordinators and analysts), and the area of their municipality (its
    analysts). Nobody reads another area's figures."""
    if not user.is_authenticated:
        return Region.objects.none()
    coordinating = Membership.objects.filter(
        user=user,
        organisation__kind=Organisation.Kind.COORDINATOR,
        roles__overlap=[Role.COORDINATOR, Role.ANALYST],
    ).values("organisation")
    municipal = Membership.objects.filter(
        user=user,
        organisation__kind=Organisation.Kind.MUNICIPALITY,
        roles__contains=[Role.ANALYST],
    ).values("organisation__municipality__region")
    return (
        Region.objects.filter(kind=Region.Kind.REGIONAL)
        .filter(Q(organisations__in=coordinating) | Q(pk__in=municipal))
        .distinct()
        .order_by("name")
    )


def is_provider(user) -> bool:
    """A member of a shelter or care provider (opvang): keeps its offers and answers requests."""
    return bool(user.is_authenticated and provider_organisations(user).exists())


def comensha_organisations(user, *, roles: tuple[str, ...] = (Role.COORDINATOR,)):
    """The CoMensha organisation, where the user holds one of `roles` there."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=Organisation.Kind.COMENSHA,
        memberships__user=user,
        memberships__roles__overlap=list(roles),
    ).distinct()


def placing_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose placement requests the user answers: their own provider
    organisations, and CoMensha for its coordinators, since CoMensha places victims in COSM."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    providers = provider_organisations(user).values("pk")
    comensha = comensha_organisations(user).values("pk")
    return Organisation.objects.filter(Q(pk__in=providers) | Q(pk__in=comensha))


def may_read_registrations(user) -> bool:
    """CoMensha's coordinators and analysts read the registrations of victims, pseudonymised."""
    return comensha_organisations(user, roles=(Role.COORDINATOR, Role.ANALYST)).exists()


def places_cosm(user) -> bool:
    """A coordinator of CoMensha: sees COSM requests with their offers, and decides on them."""
    return comensha_organisations(user).exists()


def answers_placements(user) -> bool:
    """Whoever answers placement requests: a provider's member or CoMensha's coordinator."""
    return is_provider(user) or places_cosm(user)


def conference_organisations(user) -> QuerySet[Organisation]:
    """The organisations for which the user takes part in case conferences (signaaltafels):
    those where they are a professional or a coordinator. A conference is seen only by the
    members of its participating organisations in these roles; a privacy officer, an analyst or
    an organisation admin is not at the table."""
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__roles__overlap=[Role.PROFESSIONAL, Role.COORDINATOR],
    ).distinct()


def may_use_overview(user) -> bool:
    """Every professional with an organisation sees the shelter overview (without addresses)."""
    return bool(user.is_authenticated and (user.is_staff or user.memberships.exists()))


def may_see_national_overview(user) -> bool:
    """The functional admin and the national desk see the national free places per region."""
    return bool(
        user.is_authenticated
        and (
            user.is_staff
            or Organisation.objects.filter(
                kind=Organisation.Kind.NATIONAL_DESK, memberships__user=user
            ).exists()
        )
    )


def address_visible_for(user) -> Callable[[int], bool]:
    """`can_see_address` for many offers at once, the user's roles read once: a function of an
    offer's provider organisation id."""
    if is_coordinator(user):
        return lambda provider_id: True
    own = set(provider_organisations(user).values_list("pk", flat=True))
    return lambda provider_id: provider_id in own


def can_see_address(user, provider_id: int) -> bool:
    """A shelter's confidential address: for coordinators, and for members of the offer's own
    provider organisation (`provider_id`)."""
    return address_visible_for(user)(provider_id)


@dataclass(frozen=True)
class ProfessionalMenu:
    """The links of the professional menu beyond those everyone has: each a page the user may
    open. The access log and data-subject requests go together, both for the privacy officer."""

    regional_queue: bool
    connections: bool  # the national desk's overview of connections across regions
    monitor: bool
    area_monitor: bool  # the figures of one's own area
    privacy_officer: bool
    api_keys: bool
    routing_alerts: bool
    registrations: bool  # CoMensha's registrations of victims
    case_conferences: bool  # at the table of case conferences: professionals and coordinators


def professional_menu(user) -> ProfessionalMenu:
    return ProfessionalMenu(
        regional_queue=is_coordinator(user),
        connections=is_national_desk(user),
        monitor=may_read_monitor(user),
        area_monitor=monitor_areas(user).exists(),
        privacy_officer=is_privacy_officer(user),
        api_keys=is_organisation_admin(user),
        routing_alerts=sees_routing_alerts(user),
        registrations=may_read_registrations(user),
        case_conferences=conference_organisations(user).exists(),
    )
