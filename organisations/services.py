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
from django.utils.translation import gettext_lazy

from accounts.models import Invitation, User
from accounts.services import end_sessions

from .models import Membership, MembershipChange, Organisation, RoleRequest, roles_for_kind

Role = Membership.Role


# What an admin who gave themself the privacy officer's role is told.
ASKED_FOR_APPROVAL = gettext_lazy(
    "Taking the privacy officer's role yourself needs the approval of another organisation "
    "admin. Your request waits for them; your other roles were saved."
)


class LastAdminError(Exception):
    """The change would leave the organisation without an organisation admin."""


class SameAdminError(Exception):
    """An admin cannot approve a role they asked for themself."""


class SelfInvitationError(Exception):
    """An admin cannot invite their own address: roles of one's own go through `set_roles`."""


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


def membership_saved(membership: Membership) -> None:
    """After any save of a membership (post_save): groups follow the roles, and a role lost
    ends every session of the member, so that nothing they opened with it stays open."""
    before = set(getattr(membership, "stored_roles", None) or [])
    sync_membership_groups(membership)
    if before - set(membership.roles):
        end_sessions(membership.user)
    membership.stored_roles = list(membership.roles)


def membership_deleted(membership: Membership) -> None:
    """After any delete of a membership (post_delete, also in a cascade or a queryset delete):
    out of the organisation's groups, every session ended, and an account with no organisation
    left is deactivated, so the password alone opens nothing."""
    user = User.objects.filter(pk=membership.user_id).first()
    if user is None:  # the user is being deleted
        return
    user.groups.remove(
        *Group.objects.filter(
            name__in=[group_name(membership.organisation, role=role) for role in Role.values]
        )
    )
    end_sessions(user)
    if user.is_active and not user.memberships.exists():
        user.is_active = False
        user.save(update_fields=["is_active"])


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


def _record(
    membership: Membership,
    *,
    kind: str,
    by: User | None,
    before: Iterable[str] = (),
    after: Iterable[str] = (),
) -> None:
    MembershipChange.objects.create(
        organisation=membership.organisation,
        member=membership.user,
        member_email=membership.user.email,
        by=by,
        kind=kind,
        roles_before=sorted(before),
        roles_after=sorted(after),
    )


@transaction.atomic
def add_member(
    organisation: Organisation, *, user: User, roles: Iterable[str], by: User | None = None
) -> Membership:
    """Make `user` a member with `roles` (replacing earlier roles there); audited."""
    existing = Membership.objects.filter(user=user, organisation=organisation).first()
    if existing is not None:
        return set_roles(existing, roles=roles, by=by)
    check_roles_fit(organisation, roles=roles)
    membership = Membership.objects.create(
        user=user, organisation=organisation, roles=sorted(set(roles))
    )
    _record(membership, kind=MembershipChange.Kind.ADDED, by=by, after=membership.roles)
    return membership


def _needs_second_admin(membership: Membership, role: str, by: User | None) -> bool:
    """Taking the privacy officer's role oneself needs another admin: it reads the access log of
    everyone, the admin's own actions included."""
    return (
        role == Role.PRIVACY_OFFICER
        and by is not None
        and by.pk == membership.user_id
        and role not in membership.roles
    )


@transaction.atomic
def set_roles(
    membership: Membership, *, roles: Iterable[str], by: User | None = None
) -> Membership:
    """Give the member exactly `roles`; audited. The privacy officer's role taken by oneself is
    not given but asked for: another admin of the organisation grants it (`decide_role_request`).
    Raises LastAdminError when the organisation would lose its last admin."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    roles = set(roles)
    check_roles_fit(membership.organisation, roles=roles)
    for role in sorted(roles):
        if _needs_second_admin(membership, role, by):
            roles.discard(role)
            _, asked = RoleRequest.objects.get_or_create(
                membership=membership, role=role, decided_at__isnull=True
            )
            if asked:
                _record(
                    membership,
                    kind=MembershipChange.Kind.REQUESTED,
                    by=by,
                    before=membership.roles,
                    after=[*membership.roles, role],
                )
    roles = sorted(roles)
    if Role.ORGANISATION_ADMIN not in roles and is_last_admin(membership):
        raise LastAdminError
    before = list(membership.roles)
    if set(before) == set(roles):
        return membership
    membership.roles = roles
    membership.save(update_fields=["roles"])
    _record(membership, kind=MembershipChange.Kind.ROLES, by=by, before=before, after=roles)
    return membership


@transaction.atomic
def decide_role_request(request: RoleRequest, *, by: User, approve: bool) -> None:
    """Another admin of the organisation grants or declines a role asked for; audited. Nobody
    decides on their own request."""
    request = (
        RoleRequest.objects.select_for_update().select_related("membership").get(pk=request.pk)
    )
    membership = request.membership
    if request.decided_at is not None:
        return
    if by.pk == membership.user_id:
        raise SameAdminError
    request.decided_at, request.decided_by, request.approved = timezone.now(), by, approve
    request.save(update_fields=["decided_at", "decided_by", "approved"])
    kind = MembershipChange.Kind.APPROVED if approve else MembershipChange.Kind.DECLINED
    _record(membership, kind=kind, by=by, before=membership.roles, after=membership.roles)
    if approve:
        set_roles(membership, roles=[*membership.roles, request.role], by=by)


@transaction.atomic
def remove_member(membership: Membership, *, by: User | None = None) -> None:
    """Remove at once: groups, membership and every session of the user go now (see
    `membership_deleted`); audited."""
    if is_last_admin(membership):
        raise LastAdminError
    _record(membership, kind=MembershipChange.Kind.REMOVED, by=by, before=membership.roles)
    membership.delete()


def is_last_admin(membership: Membership) -> bool:
    """Whether the member is the organisation's only admin (who must stay one)."""
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
    """Store a hashed one-time token and e-mail the link (valid INVITATION_VALID_FOR). An
    admin's own address is refused: accepting would hand them roles no second admin saw."""
    if email.lower() == by.email.lower():
        raise SelfInvitationError
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
    return add_member(
        invitation.organisation, user=user, roles=invitation.roles, by=invitation.invited_by
    )


@transaction.atomic
def create_invited_user(invitation: Invitation, *, password: str) -> User:
    """Account for a newly invited person (or one removed earlier, reactivated) with a password."""
    user = User.objects.filter(email=invitation.email).first() or User(email=invitation.email)
    user.is_active = True
    user.set_password(password)
    user.save()
    accept_invitation(invitation, user=user)
    return user
