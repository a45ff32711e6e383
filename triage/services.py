"""Triage: applying the routing decision to a signal, re-routing, deadlines and notifications.

Every change is made in one transaction with the history entry that records it. Each function is
idempotent, so a Celery task delivered twice, or re-run by a sweeper, changes nothing the second
time.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from access.services import (
    grant_coordinator_access,
    grant_organisation_access,
    revoke_coordinator_access,
    share_signal,
)
from accounts.models import User
from inbox.models import UnreadMark
from inbox.services import mark_unread, organisation_members, signal_coordinators
from meldpunt.core.queueing import enqueue_on_commit
from regions.models import Region
from regions.selectors import national_desk
from signals.models import Signal, SignalEvent

from . import rules, selectors
from .models import FloodAlert, FloodSwitch, Notification, RoutingAlert, RoutingRule

logger = logging.getLogger(__name__)
SIGNAL_RELATIONS = (
    "municipality__region",
    "municipality__safety_region",
    "municipality__province",
    "municipality__police_unit",
    "submitted_by",
)


def _decide(
    signal: Signal, rule_list: list[rules.Rule], *, coverage: rules.Coverage | None = None
) -> rules.Decision:
    return rules.decide(
        selectors.signal_facts(signal),
        rule_list,
        national_desk_code=national_desk().code,
        deadlines=rules.Deadlines(**settings.TRIAGE_DEADLINES),
        high_priority_weight=settings.TRIAGE_HIGH_PRIORITY_WEIGHT,
        coverage=coverage or selectors.coverage(),
    )


def _notify(signal: Signal, *, region: Region, kind: str) -> None:
    """Record a notification in the caller's transaction; its mail goes out after the commit.
    While the flood switch is on, a new public signal that is not urgent waits for the region's
    digest instead (send_flood_digests): a flood of bot reports must not bury the coordinators'
    mailboxes, and a person in danger is never kept waiting."""
    bundled = (
        kind == Notification.Kind.SIGNAL_WAITING
        and signal.source == Signal.Source.PUBLIC
        and not signal.is_urgent
        and flood_measures_on()
    )
    notification, created = Notification.objects.get_or_create(
        signal=signal, region=region, kind=kind, defaults={"bundled": bundled}
    )
    if created and not bundled:
        from .tasks import send_notification

        enqueue_on_commit(send_notification, notification.pk)


def flood_measures_on() -> bool:
    return FloodSwitch.objects.filter(is_on=True).exists()


def set_flood_switch(*, on: bool, by: User) -> FloodSwitch:
    """The national desk turns the flood measures on or off."""
    with transaction.atomic():
        switch = FloodSwitch.objects.select_for_update().order_by("pk").first() or FloodSwitch()
        switch.is_on, switch.changed_at, switch.changed_by = on, timezone.now(), by
        switch.save()
    return switch


def usual_public_reports_per_hour(*, now: datetime) -> float:
    """Public reports per hour over the FLOOD_BASELINE_DAYS before the last hour."""
    hours = settings.FLOOD_BASELINE_DAYS * 24
    start, end = now - timedelta(hours=hours + 1), now - timedelta(hours=1)
    count = Signal.objects.filter(
        source=Signal.Source.PUBLIC, created_at__gte=start, created_at__lt=end
    ).count()
    return count / hours


def check_for_flood(*, now: datetime | None = None) -> FloodAlert | None:
    """Alert the national desk when the public reports of the last hour exceed FLOOD_MULTIPLE
    times the usual hourly rate (and at least FLOOD_MIN_REPORTS): at most once an hour. The mail
    says how many and links to the switch; it quotes no report."""
    now = now or timezone.now()
    reports = Signal.objects.filter(
        source=Signal.Source.PUBLIC, created_at__gte=now - timedelta(hours=1)
    ).count()
    usual = usual_public_reports_per_hour(now=now)
    if reports < max(settings.FLOOD_MIN_REPORTS, settings.FLOOD_MULTIPLE * usual):
        return None
    with transaction.atomic():
        if FloodAlert.objects.filter(raised_at__gte=now - timedelta(hours=1)).exists():
            return None
        alert = FloodAlert.objects.create(reports=reports, usual=round(usual, 2))
        recipients = selectors.national_desk_addresses()
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Meldpunt: unusually many public reports")
                body = _(
                    "%(reports)d public reports came in during the last hour; usually about "
                    "%(usual)s an hour. It may be a flood of automated reports. The national desk "
                    "can turn on the flood measures (a question on the public form, and "
                    "notifications bundled into a digest):"
                ) % {"reports": reports, "usual": f"{usual:.1f}"}
                link = settings.PORTAL_URL.rstrip("/") + reverse("coordination:flood")
            EmailMessage(
                subject, f"{body}\n{link}\n", to=[settings.DEFAULT_FROM_EMAIL], bcc=recipients
            ).send()
    return alert


def send_flood_digests(*, now: datetime | None = None) -> int:
    """Mail the coordinators of each area once about its bundled notifications not yet sent: how
    many new signals wait, with links, nothing of their content. Returns the number of mails."""
    mailed = 0
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(bundled=True, sent_at__isnull=True)
            .select_related("signal", "region")
            .order_by("region_id", "created_at")
        )
        # One mail per set of people who handle the signals: an area's own coordinators, or the
        # fallback's where the area has none.
        by_recipients: dict[tuple[str, ...], list[Notification]] = {}
        for notification in waiting:
            recipients = tuple(selectors.notification_recipients(notification.signal))
            by_recipients.setdefault(recipients, []).append(notification)
        sent = []
        for recipients, notifications in by_recipients.items():
            if not recipients:
                continue  # left for the next run, when someone can act
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = _digest_text(notifications)
            EmailMessage(
                subject, body, to=[settings.DEFAULT_FROM_EMAIL], bcc=list(recipients)
            ).send()
            sent += notifications
            mailed += 1
        Notification.objects.filter(pk__in=[n.pk for n in sent]).update(
            sent_at=now or timezone.now()
        )
    return mailed


def _digest_text(notifications: list[Notification]) -> tuple[str, str]:
    count = len(notifications)
    subject = ngettext(
        "Meldpunt: %(count)d new signal is waiting in your region",
        "Meldpunt: %(count)d new signals are waiting in your region",
        count,
    ) % {"count": count}
    lines = [
        _(
            "The flood measures are on: new public signals are announced together. "
            "Sign in to see them:"
        ),
        "",
    ]
    for notification in notifications:
        link = reverse("coordination:case", args=[notification.signal.public_id])
        lines.append(f"- {settings.PORTAL_URL.rstrip('/')}{link}")
    return subject, "\n".join(lines) + "\n"


def triage_signal(signal_id: int) -> bool:
    """Route a new signal: area, coordinators (its own or the fallback), priority, track,
    deadline, access, history and a notification.

    Returns False when there was nothing to do (already triaged, or not a new signal). The signal
    row is locked, waiting rather than failing, for the few milliseconds the change takes.
    """
    with transaction.atomic():
        signal = (
            Signal.objects.select_for_update(of=("self",))
            .select_related(*SIGNAL_RELATIONS)
            .get(pk=signal_id)
        )
        if signal.status != Signal.Status.NEW:
            return False
        decision = _decide(signal, selectors.routing_rules())
        region = Region.objects.get(code=decision.region_code)
        signal.region = region
        signal.priority = decision.priority
        signal.track = decision.track
        signal.deadline = decision.deadline
        signal.status = Signal.Status.TRIAGED
        signal.triaged_at = timezone.now()
        signal.triage_failed_at = None
        signal.triage_error = ""
        signal.save()
        grant_coordinator_access(signal, organisation_ids=decision.coordinator_ids)
        for organisation_id in decision.organisation_ids:
            grant_organisation_access(signal, organisation_id=organisation_id)
        area_code = signal.municipality.region.code if signal.municipality else region.code
        for access in decision.area_access:
            _share_by_rule(signal, access, area_code=area_code)
        SignalEvent.objects.create(
            signal=signal,
            kind=SignalEvent.Kind.TRIAGED,
            detail={
                "region": region.code,
                "priority": decision.priority,
                "track": decision.track,
                "deadline": decision.deadline.isoformat(),
                "reasons": [reason.as_dict() for reason in decision.reasons],
                "fallback": decision.fallback,
            },
        )
        _notify(signal, region=region, kind=Notification.Kind.SIGNAL_WAITING)
    return True


def _share_by_rule(signal: Signal, access: rules.AreaAccess, *, area_code: str) -> None:
    """A rule gives the area's organisations of some kinds (youth care, for a minor) read access:
    a share on the rule's legal basis until its deadline, in the history like any share, and news
    in their inbox. Where no organisation of those kinds serves the area, the history says so."""
    days = min(access.days or settings.SHARE_MAX_DAYS, settings.SHARE_MAX_DAYS)
    ends_on = timezone.localdate() + timedelta(days=days)
    # Stored text, read by every coordinator: in the portal's language, not the worker's.
    with translation.override(settings.LANGUAGE_CODE):
        purpose = _("Routing rule “%(rule)s”") % {"rule": access.rule}
    organisations = selectors.area_organisations(access.kinds, region_code=area_code)
    for organisation in organisations:
        share_signal(
            signal,
            organisation=organisation,
            by=None,
            legal_basis=access.legal_basis,
            purpose=purpose,
            ends_on=ends_on,
        )
        SignalEvent.objects.create(
            signal=signal,
            kind=SignalEvent.Kind.SHARED,
            detail={
                "organisation": organisation.name,
                "legal_basis": access.legal_basis,
                "purpose": purpose,
                "ends_on": ends_on.isoformat(),
                "rule": access.rule,
            },
        )
        mark_unread(
            signal, event=UnreadMark.Event.SHARE_IN, people=organisation_members(organisation)
        )
    if not organisations:
        SignalEvent.objects.create(
            signal=signal,
            kind=SignalEvent.Kind.SHARED,
            detail={"rule": access.rule, "nobody": True, "legal_basis": access.legal_basis},
        )


def record_triage_failure(signal_id: int, *, error: str) -> None:
    """Put a signal whose triage failed every retry on the dead-letter list, with the error."""
    with transaction.atomic():
        signal = Signal.objects.select_for_update().filter(pk=signal_id).first()
        if signal is None or signal.status != Signal.Status.NEW:
            return
        signal.triage_failed_at = timezone.now()
        signal.triage_error = error[:500]
        signal.save(update_fields=["triage_failed_at", "triage_error", "updated_at"])
        SignalEvent.objects.create(
            signal=signal, kind=SignalEvent.Kind.TRIAGE_FAILED, detail={"error": error[:500]}
        )
    logger.error("triage of signal %s failed for good: %s", signal_id, error)


def retry_failed_triage(signal_ids: list[int]) -> int:
    """Take signals off the dead-letter list and queue their triage again."""
    from .tasks import triage_signal

    with transaction.atomic():
        ids = list(
            Signal.objects.filter(pk__in=signal_ids, triage_failed_at__isnull=False).values_list(
                "pk", flat=True
            )
        )
        Signal.objects.filter(pk__in=ids).update(triage_failed_at=None, triage_error="")
        for signal_id in ids:
            enqueue_on_commit(triage_signal, signal_id)
    return len(ids)


def reroute_signal(signal: Signal, *, region: Region, by: User, reason: str) -> bool:
    """Hand a signal to another area: its current coordinators' access ends, and the new area's
    coordinators (its own, or the fallback where it has none) get it."""
    with transaction.atomic():
        signal = Signal.objects.select_for_update(of=("self",)).get(pk=signal.pk)
        old_region = signal.region
        if old_region == region:
            return False
        signal.region = region
        signal.overdue_at = None
        signal.save(update_fields=["region", "overdue_at", "updated_at"])
        coordinators, fallback, routing = rules.coordinators_for(region.code, selectors.coverage())
        revoke_coordinator_access(signal)
        grant_coordinator_access(signal, organisation_ids=[c.organisation_id for c in coordinators])
        SignalEvent.objects.create(
            signal=signal,
            kind=SignalEvent.Kind.REROUTED,
            actor=by,
            detail={
                "from": old_region.code if old_region else None,
                "to": region.code,
                "reason": reason,
                "routing": routing.as_dict(),
                "fallback": fallback,
            },
        )
        _notify(signal, region=region, kind=Notification.Kind.SIGNAL_WAITING)
        # The new area's coordinators, not the old assignee: the transfer ends the assignment.
        mark_unread(
            signal,
            event=UnreadMark.Event.TRANSFER_IN,
            people=signal_coordinators(signal),
            but=by,
        )
    return True


def mark_overdue_signals(*, now: datetime | None = None) -> int:
    """Mark triaged signals whose deadline passed, once each, and notify their region."""
    now = now or timezone.now()
    marked = 0
    with transaction.atomic():
        overdue = Signal.objects.select_for_update(skip_locked=True, of=("self",)).filter(
            status=Signal.Status.TRIAGED, overdue_at__isnull=True, deadline__lt=now
        )
        for signal in overdue.select_related("region", "assigned_to")[:1000]:
            signal.overdue_at = now
            signal.save(update_fields=["overdue_at", "updated_at"])
            SignalEvent.objects.create(
                signal=signal,
                kind=SignalEvent.Kind.OVERDUE,
                detail={"deadline": signal.deadline.isoformat()},
            )
            _notify(signal, region=signal.region, kind=Notification.Kind.OVERDUE)
            mark_unread(signal, event=UnreadMark.Event.OVERDUE)
            marked += 1
    return marked


NO_RECIPIENTS = "no recipients"


def send_notification(notification_id: int) -> bool:
    """Send one notification mail, at most once. It names no person: the area, and a link.

    It goes to the coordinators who handle the signal now (the area's own, or the fallback). The
    row stays locked while the mail goes out, so a second delivery of the task waits and then
    finds it sent. Raises on a mail error so that the task retries later. With no one to send
    it to, it is not marked sent: an alert is raised for the national desk and the functional
    admin, and the sweeper tries again, so the mail goes out once someone can act.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("signal", "region")
            .get(pk=notification_id)
        )
        if notification.sent_at is not None:
            return False
        recipients = selectors.notification_recipients(notification.signal)
        if not recipients:
            _raise_no_recipients_alert(notification)
            return False
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = _mail_text(notification)
        # Someone can act now: an alert raised earlier is resolved. Before the mail, so that after
        # it only the one update remains that a database failure could still undo.
        notification.alerts.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        EmailMessage(subject, body, to=[settings.DEFAULT_FROM_EMAIL], bcc=recipients).send()
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["sent_at", "last_error"])
    return True


def _raise_no_recipients_alert(notification: Notification) -> None:
    """Once per notification while it stays unsent (a unique constraint on open alerts)."""
    notification.last_error = NO_RECIPIENTS
    notification.save(update_fields=["last_error"])
    _alert, created = RoutingAlert.objects.get_or_create(
        notification=notification,
        resolved_at=None,
        defaults={
            "kind": RoutingAlert.Kind.NO_RECIPIENTS,
            "signal": notification.signal,
            "region": notification.region,
            "message": gettext_noop(
                "Nobody could be told that signal %(signal)s waits in %(area)s: no coordinator "
                "organisation handling it has an active coordinator or an e-mail address."
            ),
            "params": {
                "signal": str(notification.signal.public_id)[:8],
                "area": notification.region.name,
            },
        },
    )
    if created:
        logger.error(
            "notification %s for signal %s has no recipients",
            notification.pk,
            notification.signal_id,
        )


def resolve_alert(alert: RoutingAlert) -> bool:
    """Mark an alert dealt with (the functional admin or the national desk did)."""
    updated = RoutingAlert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    return bool(updated)


def record_notification_failure(notification_id: int, *, error: str) -> None:
    Notification.objects.filter(pk=notification_id).update(last_error=error[:500])


def _mail_text(notification: Notification) -> tuple[str, str]:
    """The mail names no person and quotes nothing; it names the area, says when the signal is
    urgent, and links to its case page, where the coordinator acts."""
    signal = notification.signal
    link = settings.PORTAL_URL.rstrip("/") + reverse("coordination:case", args=[signal.public_id])
    area = {"area": notification.region.name}
    if notification.kind == Notification.Kind.OVERDUE:
        subject = _("Meldpunt: a signal in %(area)s is past its deadline") % area
        intro = _("A signal in %(area)s has not been picked up before its deadline.") % area
    else:
        subject = _("Meldpunt: a new signal is waiting in %(area)s") % area
        intro = _("A new signal is waiting for a coordinator in %(area)s.") % area
    if signal.is_urgent or signal.priority == Signal.Priority.URGENT:
        subject = _("URGENT: %(subject)s") % {"subject": subject}
        intro = "{}\n{}".format(
            _("URGENT: someone may be in danger now. Look at it at once."), intro
        )
    signin = _("Sign in to see it:")
    return subject, f"{intro}\n\n{signin} {link}\n"


def requeue_unfinished_work(*, now: datetime | None = None) -> tuple[int, int]:
    """The sweeper: queue again what was left behind while the broker was down.

    Work that must happen later is found in the database, never parked in the broker.
    """
    from .tasks import send_notification, triage_signal

    older_than = (now or timezone.now()) - settings.SIGNAL_REQUEUE_AFTER
    signal_ids = selectors.untriaged_signal_ids(older_than=older_than)
    for signal_id in signal_ids:
        triage_signal.delay(signal_id)
    notification_ids = selectors.unsent_notification_ids(older_than=older_than)
    for notification_id in notification_ids:
        send_notification.delay(notification_id)
    return len(signal_ids), len(notification_ids)


def preview_rules(candidates: list[RoutingRule], *, limit: int = 50) -> list[dict]:
    """Where the last `limit` signals would go if `candidates` were active, and where they went."""
    rule_list = selectors.routing_rules(including=candidates)
    coverage = selectors.coverage()
    rows = []
    for signal in selectors.recent_signals(limit):
        decision = _decide(signal, rule_list, coverage=coverage)
        rows.append(
            {
                "signal": signal,
                "current_region": signal.region,
                "proposed_region": Region.objects.get(code=decision.region_code),
                "current_priority": signal.get_priority_display(),
                "proposed_priority": Signal.Priority(decision.priority).label,
                "changed": signal.region is None
                or signal.region.code != decision.region_code
                or signal.priority != decision.priority,
            }
        )
    return rows
