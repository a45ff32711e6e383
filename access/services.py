"""Granting and revoking access to signals, sharing, and writing the access log.

The one place that grants access; views, the API, tasks and the admin all come here.
Every grant is idempotent: granting twice leaves one row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from organisations.models import COORDINATING_KINDS, Membership, Organisation
from organisations.services import group_for
from regions.models import Region
from signals.models import Signal

from .models import CASE_HANDLING_ROLES, AccessLogEntry, Share, SignalGroupObjectPermission
from .permissions import (
    COORDINATOR_PERMISSIONS,
    READ_PERMISSIONS,
    SUBMITTER_PERMISSIONS,
    TRIAGE,
    codename,
)
from .selectors import controllers_of, signals_held_by

Role = Membership.Role


def _permissions(permissions: tuple[str, ...]) -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type__app_label="signals",
            content_type__model="signal",
            codename__in=[codename(permission) for permission in permissions],
        )
    )


def _grant(signal: Signal, groups: list[Group], permissions: tuple[str, ...]) -> None:
    rows = [
        SignalGroupObjectPermission(content_object=signal, group=group, permission=permission)
        for group in groups
        for permission in _permissions(permissions)
    ]
    SignalGroupObjectPermission.objects.bulk_create(rows, ignore_conflicts=True)


def _revoke(signal: Signal, groups: list[Group]) -> None:
    SignalGroupObjectPermission.objects.filter(content_object=signal, group__in=groups).delete()


def _coordinator_groups(region: Region) -> list[Group]:
    organisations = Organisation.objects.filter(regions=region, kind__in=COORDINATING_KINDS)
    return [group_for(organisation, role=Role.COORDINATOR) for organisation in organisations]


def grant_submitter_access(signal: Signal, *, organisation: Organisation) -> None:
    """The submitting organisation's professionals see the signal and may add to it."""
    _grant(signal, [group_for(organisation, role=Role.PROFESSIONAL)], SUBMITTER_PERMISSIONS)


def grant_region_access(signal: Signal, *, region: Region) -> None:
    """The coordinators of every organisation serving `region` may triage and handle the signal."""
    _grant(signal, _coordinator_groups(region), COORDINATOR_PERMISSIONS)


def grant_coordinator_access(signal: Signal, *, organisation_ids: Iterable[int]) -> None:
    """The coordinators of these organisations may triage and handle the signal: the ones triage
    chose, an area's own or the fallback (CoMensha, the national desk)."""
    organisations = Organisation.objects.filter(pk__in=list(organisation_ids))
    groups = [group_for(organisation, role=Role.COORDINATOR) for organisation in organisations]
    _grant(signal, groups, COORDINATOR_PERMISSIONS)


def revoke_coordinator_access(signal: Signal) -> None:
    """End the access of whoever coordinates the signal now (those who may triage it), before
    it goes to another area's coordinators."""
    groups = SignalGroupObjectPermission.objects.filter(
        content_object=signal,
        permission__content_type__app_label="signals",
        permission__codename=codename(TRIAGE),
    ).values("group_id")
    SignalGroupObjectPermission.objects.filter(content_object=signal, group__in=groups).delete()


def grant_organisation_access(signal: Signal, *, organisation_id: int) -> None:
    """An organisation named by a routing rule may read the signal."""
    organisation = Organisation.objects.get(pk=organisation_id)
    groups = [group_for(organisation, role=role) for role in (Role.PROFESSIONAL, Role.COORDINATOR)]
    _grant(signal, groups, READ_PERMISSIONS)


@transaction.atomic
def share_signal(
    signal: Signal,
    *,
    organisation: Organisation,
    by: User | None,
    legal_basis: str,
    purpose: str,
    ends_on: date,
    roles: Iterable[str] = CASE_HANDLING_ROLES,
    api_keys: bool = False,
) -> Share:
    """Share a signal with an organisation until `ends_on`, for its members in `roles` (by
    default those who handle cases) and, if `api_keys`, its API keys; `by` is None when a routing
    rule shares it, and then each controller of the signal has it in its log. The access log
    records it with the organisation and the legal basis but not
    the purpose: free text stays out of the append-only log (it is kept, encrypted, with the
    share and in the signal's history)."""
    roles = sorted(set(roles))
    if not roles or not set(roles) <= set(Role.values):
        raise ValueError(f"a share reaches one or more of the roles {', '.join(Role.values)}")
    latest = timezone.localdate() + timedelta(days=settings.SHARE_MAX_DAYS)
    if ends_on > latest:
        # Callers tell people why (coordination.services.share_with_organisation); this is the
        # guarantee that no share, however made, lasts longer than the maximum.
        raise ValueError(f"a share ends at the latest on {latest} (SHARE_MAX_DAYS)")
    share = Share.objects.create(
        signal=signal,
        organisation=organisation,
        shared_by=by,
        legal_basis=legal_basis,
        purpose=purpose,
        ends_on=ends_on,
        roles=roles,
        api_keys=api_keys,
    )
    detail = f"{organisation.name} ({legal_basis})"
    if by is not None:
        log_action(by, signal=signal, action=AccessLogEntry.Action.SHARE, detail=detail)
        return share
    # A routing rule shared it: no person, so no organisation of theirs to log it for. Each
    # controller of the signal, who answers for the disclosure, finds it in its own log.
    controllers = list(controllers_of(signal)) or [None]
    for controller in controllers:
        log_action(
            None,
            signal=signal,
            action=AccessLogEntry.Action.SHARE,
            detail=detail,
            organisation=controller,
        )
    return share


@transaction.atomic
def revoke_share(share: Share, *, by: User) -> bool:
    """End a share at once (the access check reads `revoked_at`); the access log records it.
    False when it was revoked before."""
    share = Share.objects.select_for_update().select_related("organisation").get(pk=share.pk)
    if share.revoked_at is not None:
        return False
    share.revoked_at = timezone.now()
    share.revoked_by = by
    share.save(update_fields=["revoked_at", "revoked_by"])
    log_action(
        by,
        signal=share.signal,
        action=AccessLogEntry.Action.REVOKE_SHARE,
        detail=f"{share.organisation.name}: {share.public_id}",
    )
    return True


def log_action(
    user: User | None,
    *,
    signal: Signal | None,
    action: str,
    purpose: str = "",
    detail: str = "",
    organisation: Organisation | None = None,
) -> AccessLogEntry:
    """Append one entry to the access log, for the organisation the user acts for (`organisation`
    when the caller knows it, else `acting_for`). `user` is None for what the system does by
    itself (retention); `signal` is None for what concerns no single signal (an export)."""
    if organisation is None and user is not None:
        organisation = acting_for(user, signal=signal)
    return AccessLogEntry.objects.create(
        user=user,
        organisation=organisation,
        signal=signal,
        action=action,
        purpose=purpose[:200],
        detail=detail[:500],
    )


def acting_for(user: User, *, signal: Signal | None) -> Organisation | None:
    """The organisation a user acts for on `signal`: of theirs, the first (oldest membership)
    that holds it (`signals_held_by`), else their first. A person in two organisations is logged
    for the one the signal belongs to, so that the other's privacy officer does not see, in their
    own log, signals their organisation holds nothing of."""
    organisations = [
        membership.organisation
        for membership in Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("pk")
    ]
    if signal is not None and len(organisations) > 1:
        for organisation in organisations:
            if signals_held_by(organisation).filter(pk=signal.pk).exists():
                return organisation
    return organisations[0] if organisations else None


def log_read(user: User, *, signal: Signal, purpose: str) -> AccessLogEntry:
    """Every read of a signal's details is logged: who, when, what and why."""
    return log_action(user, signal=signal, action=AccessLogEntry.Action.VIEW, purpose=purpose)


def log_reads(user: User, *, signals: list[Signal], purpose: str) -> None:
    """`log_read` of several signals shown together (a case's merged duplicates), in one insert."""
    if not signals:
        return
    # Shown together with one case: logged for the organisation the reader acts for on it.
    organisation = acting_for(user, signal=signals[0])
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user=user,
            organisation=organisation,
            signal=signal,
            action=AccessLogEntry.Action.VIEW,
            purpose=purpose[:200],
        )
        for signal in signals
    )
