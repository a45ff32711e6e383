"""Changes to organisations' members: groups per role, invitations, roles, removal."""

import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Invitation, User
from accounts.services import end_sessions

from .models import Membership, Organisation, roles_for_kind

Role = Membership.Role


class LastAdminError(Exception):
    """The change would leave the organisation without an organisation admin."""


def group_name(organisation: Organisation, *, role: str) -> str:
    return f"org:{organisation.public_id}:{role}"


def group_for(organisation: Organisation, *, role: str) -> Group:
    """The Django group of everyone with `role` in `organisation`; object permissions go to it."""
    group, _ = Group.objects.get_or_create(name=group_name(organisation, role=role))
    return group


def sync_membership_groups(membership: Membership) -> None:
    """Put the member in exactly the groups of their roles in this organisation."""
    organisation, user = membership.organisation, membership.user
    wanted = {group_for(organisation, role=role).pk for role in membership.roles}
    for role in Role.values:
        group = group_for(organisation, role=role)
        if group.pk in wanted:
            user.groups.add(group)
        else:
            user.groups.remove(group)


@transaction.atomic
def add_member(organisation: Organisation, *, user: User, roles: Iterable[str]) -> Membership:
    """Make `user` a member with `roles` (replacing earlier roles there) and sync their groups."""
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"roles": sorted(set(roles))}
    )
    sync_membership_groups(membership)
    return membership


def check_roles_fit(organisation: Organisation, *, roles: Iterable[str]) -> None:
    """Refuse a role that an organisation of this kind cannot hold (`roles_for_kind`): a care
    coordinator at the police would see no queue, an analyst at a shelter no figures."""
    misfits = set(roles) - set(roles_for_kind(organisation.kind))
    if misfits:
        raise ValidationError(
            _("An organisation of the kind “%(kind)s” has no role “%(role)s”.")
            % {
                "kind": organisation.get_kind_display(),
                "role": Role(sorted(misfits)[0]).label,
            },
            code="role_does_not_fit",
        )


@transaction.atomic
def set_roles(membership: Membership, *, roles: Iterable[str]) -> Membership:
    roles = sorted(set(roles))
    check_roles_fit(membership.organisation, roles=roles)
    if Role.ORGANISATION_ADMIN not in roles and _is_last_admin(membership):
        raise LastAdminError
    membership.roles = roles
    membership.save(update_fields=["roles"])
    sync_membership_groups(membership)
    return membership


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """Remove at once: groups, membership and every session of the user go now.

    A user with no organisation left is deactivated, so the password alone opens nothing.
    """
    if _is_last_admin(membership):
        raise LastAdminError
    user = membership.user
    membership.roles = []
    sync_membership_groups(membership)
    membership.delete()
    end_sessions(user)
    if not user.memberships.exists():
        user.is_active = False
        user.save(update_fields=["is_active"])


def _is_last_admin(membership: Membership) -> bool:
    if Role.ORGANISATION_ADMIN not in membership.roles:
        return False
    return not (
        Membership.objects.filter(
            organisation=membership.organisation, roles__contains=[Role.ORGANISATION_ADMIN]
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite_member(
    organisation: Organisation, *, email: str, roles: Iterable[str], by: User
) -> Invitation:
    """Store a hashed one-time token and e-mail the link (valid INVITATION_VALID_FOR)."""
    check_roles_fit(organisation, roles=roles)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.lower(),
        roles=sorted(set(roles)),
        token_hash=hash_token(token),
        invited_by=by,
        expires_at=timezone.now() + settings.INVITATION_VALID_FOR,
    )
    link = settings.PORTAL_URL.rstrip("/") + reverse("organisations:invitation", args=[token])
    context = {"organisation": organisation, "link": link, "invitation": invitation}
    # Sent after commit: no mail for an invitation that was rolled back.
    transaction.on_commit(
        lambda: send_mail(
            _("Invitation to Meldpunt mensenhandel"),
            render_to_string("organisations/invitation_email.txt", context),
            None,
            [invitation.email],
        )
    )
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, *, user: User) -> Membership:
    """Use the invitation up and make `user` a member with the invited roles."""
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return add_member(invitation.organisation, user=user, roles=invitation.roles)


@transaction.atomic
def create_invited_user(invitation: Invitation, *, password: str) -> User:
    """Account for a newly invited person (or one removed earlier, reactivated) with a password."""
    user = User.objects.filter(email=invitation.email).first() or User(email=invitation.email)
    user.is_active = True
    user.set_password(password)
    user.save()
    accept_invitation(invitation, user=user)
    return user
