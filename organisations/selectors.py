"""Reads about organisations and their members; every lookup is scoped to what the user may
manage or act for."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Invitation

from .models import (
    COORDINATING_KINDS,
    PROVIDER_KINDS,
    Membership,
    MembershipChange,
    Organisation,
    RoleRequest,
    roles_for_kind,
)
from .services import hash_token

Role = Membership.Role


def organisations_where(user, role: str) -> QuerySet[Organisation]:
    """The organisations in which `user` holds `role` (both conditions on one membership)."""
    return Organisation.objects.filter(memberships__user=user, memberships__roles__contains=[role])


def coordinator_organisations(user) -> QuerySet[Organisation]:
    """The organisations in which `user` acts as a care coordinator (zorgcoördinator)."""
    return organisations_where(user, Role.COORDINATOR).filter(kind__in=COORDINATING_KINDS)


def provider_organisations(user) -> QuerySet[Organisation]:
    """Provider organisations (shelter, health care, youth care) of which `user` is a member."""
    return Organisation.objects.filter(kind__in=PROVIDER_KINDS, memberships__user=user)


def national_coordination_centre() -> Organisation | None:
    """CoMensha, the national coordination centre (one at most): it places victims in COSM
    shelter and holds the registrations; None while the portal has none."""
    return Organisation.objects.filter(kind=Organisation.Kind.COMENSHA).first()


def administered_organisations(user) -> QuerySet[Organisation]:
    return organisations_where(user, Role.ORGANISATION_ADMIN).order_by("name")


def administered_organisation_or_404(user, public_id) -> Organisation:
    """An organisation the user administers; any other answers 404, revealing nothing."""
    return get_object_or_404(administered_organisations(user), public_id=public_id)


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    """The people of the organisation; the service users behind API keys are on the key page."""
    return (
        organisation.memberships.filter(user__api_key__isnull=True)
        .select_related("user")
        .order_by("user__email")
    )


def member_or_404(organisation: Organisation, public_id) -> Membership:
    return get_object_or_404(members_of(organisation), public_id=public_id)


def open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def usable_invitation(token: str) -> Invitation | None:
    """The invitation behind a link, if it was not used, has not expired and its roles still fit
    the organisation (whose kind may have changed since it was sent)."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(
            token_hash=hash_token(token), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .first()
    )
    if invitation is None or not set(invitation.roles) <= set(
        roles_for_kind(invitation.organisation.kind)
    ):
        return None
    return invitation


def open_role_requests(organisation: Organisation) -> QuerySet[RoleRequest]:
    """Roles admins asked for themselves, waiting for another admin."""
    return RoleRequest.objects.filter(
        membership__organisation=organisation, decided_at__isnull=True
    ).select_related("membership__user")


def open_role_request_or_404(organisation: Organisation, public_id) -> RoleRequest:
    return get_object_or_404(open_role_requests(organisation), public_id=public_id)


def membership_changes(organisation: Organisation) -> QuerySet[MembershipChange]:
    """The record of changes to the organisation's members, newest first; the service users
    behind API keys are on the key page."""
    return (
        organisation.membership_changes.filter(member__api_key__isnull=True)
        .select_related("by")
        .order_by("-created_at", "-pk")
    )
