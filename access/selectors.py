"""Which signals a user may see or change. Denied and absent look the same: 404."""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from meldpunt.core import memo
from organisations.models import COORDINATING_KINDS, Membership, Organisation
from organisations.services import group_name
from signals.models import Signal

from .models import AccessLogEntry, Share, SignalGroupObjectPermission
from .permissions import TRIAGE, VIEW, codename


def _permission_id(perm: str) -> Subquery:
    """The permission's id as a subquery of the query that needs it: no query of its own, and
    nothing kept that a database flushed and migrated again (tests) could make stale in a
    long-running process such as a worker."""
    return Subquery(
        Permission.objects.filter(
            content_type__app_label="signals",
            content_type__model="signal",
            codename=codename(perm),
        ).values("pk")[:1]
    )


def signals_visible_to(user, perm: str = VIEW) -> QuerySet[Signal]:
    """The signals on which `user` holds `perm`, through their organisations' groups.

    An EXISTS over the direct foreign-key permission table (indexed on signal, permission,
    group), not a join with DISTINCT. Active shares add read access for the members who hold one
    of the share's roles in the receiving organisation (API keys only when the share names them);
    an expired or revoked share stops counting at once, before any periodic clean-up.
    """
    if not (user.is_authenticated and user.is_active):
        return Signal.objects.none()
    user_groups = user.groups.through.objects.filter(user_id=user.pk).values("group_id")
    granted = SignalGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), permission_id=_permission_id(perm), group_id__in=user_groups
    )
    condition = Q(Exists(granted))
    if perm == VIEW:
        # The user's membership of the receiving organisation, in a role the share reaches.
        reached = Membership.objects.filter(
            user=user, organisation=OuterRef("organisation"), roles__overlap=OuterRef("roles")
        )
        # An API key acts through a service user (api.services): reached only when named.
        person = reached.filter(user__api_key__isnull=True)
        shared = Share.objects.filter(
            Q(Exists(person)) | Q(Exists(reached), api_keys=True),
            signal=OuterRef("pk"),
            revoked_at__isnull=True,
            ends_on__gte=timezone.localdate(),
        )
        condition |= Q(Exists(shared))
    return Signal.objects.filter(condition)


def get_signal_for(user, public_id: uuid.UUID | str, perm: str = VIEW) -> Signal:
    """The signal, if `user` holds `perm` on it; otherwise 404, as if it did not exist."""
    signal = (
        signals_visible_to(user, perm)
        .select_related("region", "municipality", "submitted_by", "assigned_to")
        .filter(public_id=public_id)
        .first()
    )
    if signal is None:
        raise Http404
    memo.remember(_can_key(user, perm, signal), True)
    return signal


def _groups_of(organisation: Organisation) -> QuerySet[Group]:
    """The ids of the organisation's groups, one per role (organisations.services.group_name)."""
    return Group.objects.filter(
        name__in=[group_name(organisation, role=role) for role in Membership.Role.values]
    ).values("pk")


def signals_held_by(organisation: Organisation) -> QuerySet[Signal]:
    """The signals an organisation holds: those on which any of its role groups may view, those
    actively shared with it, and those it submitted (its drafts included). Wider than
    `signals_controlled_by` (what it reads through a share is included): whose meldcode
    checklist a professional keeps follows from it."""
    groups = _groups_of(organisation)
    granted = SignalGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), permission_id=_permission_id(VIEW), group_id__in=groups
    )
    shared = Share.objects.filter(
        signal=OuterRef("pk"),
        organisation=organisation,
        revoked_at__isnull=True,
        ends_on__gte=timezone.localdate(),
    )
    return Signal.objects.filter(
        Q(Exists(granted)) | Q(Exists(shared)) | Q(submitted_by=organisation)
    )


def signals_controlled_by(organisation: Organisation) -> QuerySet[Signal]:
    """The signals an organisation is controller of (verwerkingsverantwoordelijke): those it
    submitted (its drafts included) and those it coordinates (its coordinators may triage them).
    Not what it reads through a share or a routing rule: that data has another controller. The
    scope of its privacy officer's data-subject requests."""
    groups = _groups_of(organisation)
    coordinated = SignalGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), permission_id=_permission_id(TRIAGE), group_id__in=groups
    )
    return Signal.objects.filter(Q(Exists(coordinated)) | Q(submitted_by=organisation))


def controllers_of(signal: Signal) -> QuerySet[Organisation]:
    """The organisations that are controller of the signal (see `signals_controlled_by`): the
    one that submitted it and those that coordinate it."""
    coordinating = coordinating_organisations(signal).values("pk")
    return Organisation.objects.filter(
        Q(pk__in=coordinating) | Q(pk=signal.submitted_by_id)
    ).order_by("name")


def coordinating_organisations(signal: Signal) -> QuerySet[Organisation]:
    """The organisations whose coordinators may triage the signal: the ones routing chose (its
    area's own, or the fallback covering an area without one). Read from the permissions, so
    that notifications, unread marks and the case page follow the same decision."""
    groups = SignalGroupObjectPermission.objects.filter(
        content_object=signal, permission_id=_permission_id(TRIAGE)
    ).values("group_id")
    names = set(Group.objects.filter(pk__in=groups).values_list("name", flat=True))
    candidates = Organisation.objects.filter(kind__in=COORDINATING_KINDS)
    return candidates.filter(
        pk__in=[
            organisation.pk
            for organisation in candidates
            if group_name(organisation, role=Membership.Role.COORDINATOR) in names
        ]
    )


def reporting_code_organisation(user, signal: Signal) -> Organisation | None:
    """The organisation whose meldcode checklist the user keeps on `signal`: a professional of
    an organisation that holds it (submitted it, may read it by a rule or a share). Only for a
    signal about a minor; None otherwise, and the checklist does not show."""
    if not (signal.involves_minor and user.is_authenticated and user.is_active):
        return None
    for organisation in Organisation.objects.filter(
        memberships__user=user, memberships__roles__contains=[Membership.Role.PROFESSIONAL]
    ).order_by("name"):
        if signals_held_by(organisation).filter(pk=signal.pk).exists():
            return organisation
    return None


def _can_key(user, perm: str, signal: Signal) -> tuple:
    return ("access.can", user.pk, perm, signal.pk)


def can(user, perm: str, signal: Signal) -> bool:
    """Whether `user` holds `perm` on the signal; asked once per request (meldpunt.core.memo)."""
    return memo.memoised(
        _can_key(user, perm, signal),
        lambda: signals_visible_to(user, perm).filter(pk=signal.pk).exists(),
    )


def access_log_for(
    organisation: Organisation,
    *,
    member=None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AccessLogEntry]:
    """The access log entries of an organisation's members, newest first."""
    entries = AccessLogEntry.objects.filter(organisation=organisation)
    if member is not None:
        entries = entries.filter(user=member)
    if since is not None:
        entries = entries.filter(created_at__date__gte=since)
    if until is not None:
        entries = entries.filter(created_at__date__lte=until)
    return entries.select_related("user", "signal").order_by("-created_at", "-pk")
