"""Marking cases unread for the people responsible, reading them, and the digest mails.

The apps where an event happens call `mark_unread` explicitly, in the transaction of the change
(no Django signal receivers): a reporter's reply, an answer, added information, a placement
answered or expired, a transfer in, a share in, a passed deadline, a coordinator's question.
Mails are not sent per event: the periodic task `send_digests` (beat) mails each person once for
all their marks not mailed yet, when the oldest has waited `INBOX_MAIL_AFTER`. Work due later is
found in the database, never parked in the broker.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F, Func, QuerySet, Value
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access.permissions import TRIAGE
from access.selectors import coordinating_organisations, signals_visible_to
from accounts.models import User
from organisations.models import Membership, Organisation
from signals.models import Signal

from .models import UnreadMark

logger = logging.getLogger(__name__)
Event = UnreadMark.Event


def _people() -> QuerySet[User]:
    """Active accounts of people: the service users behind API keys read nothing and get no
    mail."""
    return User.objects.filter(is_active=True, api_key__isnull=True)


def signal_coordinators(signal: Signal) -> list[User]:
    """The active coordinators of the organisations routing gave the signal to: its area's own,
    or the fallback (CoMensha, the national desk) where the area has none."""
    return list(
        _people()
        .filter(
            memberships__organisation__in=coordinating_organisations(signal),
            memberships__roles__contains=[Membership.Role.COORDINATOR],
        )
        .distinct()
    )


def handlers_of(signal: Signal) -> list[User]:
    """Who handles the signal now: its assignee, or its coordinators when no one is.
    Read from the database, not from the caller's copy, which may be older than an assignment."""
    current = Signal.objects.select_related("region").get(pk=signal.pk)
    if current.assigned_to_id is not None:
        assignee = list(_people().filter(pk=current.assigned_to_id))
        if assignee:
            return assignee
    return signal_coordinators(current)


def submitter_of(signal: Signal) -> list[User]:
    """The professional who submitted the signal, while their account is active."""
    return list(_people().filter(pk=signal.created_by_id))


def organisation_members(organisation: Organisation) -> list[User]:
    """The professionals and coordinators of an organisation: whom a share with it is for."""
    return list(
        _people()
        .filter(
            memberships__organisation=organisation,
            memberships__roles__overlap=[Membership.Role.PROFESSIONAL, Membership.Role.COORDINATOR],
        )
        .distinct()
    )


class _ArrayAppend(Func):
    function = "array_append"
    output_field = ArrayField(models.CharField(max_length=32))


def mark_unread(
    signal: Signal,
    *,
    event: str,
    people: Iterable[User] | None = None,
    but: User | None = None,
) -> int:
    """Mark the case unread for `people` (by default the signal's handlers), leaving out `but`
    (who caused the event and so has seen it). Safe under concurrency: a mark is one row per
    person and case, created or extended in two idempotent statements. Returns how many."""
    chosen = handlers_of(signal) if people is None else list(people)
    user_ids = {user.pk for user in chosen} - ({but.pk} if but is not None else set())
    if not user_ids:
        return 0
    now = timezone.now()
    UnreadMark.objects.bulk_create(
        [
            UnreadMark(user_id=user_id, signal=signal, events=[event], marked_at=now)
            for user_id in user_ids
        ],
        ignore_conflicts=True,
    )
    marks = UnreadMark.objects.filter(signal=signal, user_id__in=user_ids)
    marks.exclude(events__contains=[event]).update(events=_ArrayAppend(F("events"), Value(event)))
    marks.update(last_event_at=now)
    return len(user_ids)


def mark_read(signal: Signal, *, user: User) -> None:
    """The person read the case: its mark goes."""
    if user.is_authenticated:
        UnreadMark.objects.filter(signal=signal, user=user).delete()


def send_digests(*, now: datetime | None = None, limit: int = 500) -> int:
    """Mail each person whose oldest unmailed mark waited `INBOX_MAIL_AFTER`, once, about all
    their unmailed marks. Returns the number of mails. Running it again mails nobody twice."""
    now = now or timezone.now()
    due = now - settings.INBOX_MAIL_AFTER
    user_ids = list(
        UnreadMark.objects.filter(mailed_at__isnull=True, marked_at__lte=due)
        .values_list("user_id", flat=True)
        .distinct()[:limit]
    )
    return sum(_send_digest(user_id, now=now) for user_id in user_ids)


def _send_digest(user_id: int, *, now: datetime) -> bool:
    """One person's digest. Their marks stay locked while the mail goes out, so a second run at
    the same time skips them; a mail error rolls the marks back to be sent by the next run."""
    with transaction.atomic():
        marks = list(
            UnreadMark.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(user_id=user_id, mailed_at__isnull=True)
            .select_related("user", "signal")
            .order_by("marked_at", "pk")
        )
        if not marks:
            return False
        user = marks[0].user
        ids = [mark.signal_id for mark in marks]
        visible = set(signals_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
        # A case the person can no longer open (transferred away, a share that ended) is no
        # news for them any more.
        gone = [mark.pk for mark in marks if mark.signal_id not in visible]
        UnreadMark.objects.filter(pk__in=gone).delete()
        marks = [mark for mark in marks if mark.signal_id in visible]
        if not marks:
            return False
        handled = set(
            signals_visible_to(user, TRIAGE).filter(pk__in=ids).values_list("pk", flat=True)
        )
        if user.email:
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = digest_text(marks, handled=handled)
            EmailMessage(subject, body, to=[user.email]).send()
        UnreadMark.objects.filter(pk__in=[mark.pk for mark in marks]).update(mailed_at=now)
    return True


def is_urgent(signal: Signal) -> bool:
    return signal.is_urgent or signal.priority == Signal.Priority.URGENT


def case_link(signal: Signal, *, handles: bool) -> str:
    """The case page for whoever handles the signal, the signal page for anyone else."""
    name = "coordination:case" if handles else "pro_signals:detail"
    return settings.PORTAL_URL.rstrip("/") + reverse(name, args=[signal.public_id])


def digest_text(marks: list[UnreadMark], *, handled: set[int]) -> tuple[str, str]:
    """The digest: how many cases, which are urgent, what kind of news, and links. It names no
    person and quotes nothing: the mail may pass through systems outside the portal."""
    urgent = sum(1 for mark in marks if is_urgent(mark.signal))
    count = len(marks)
    subject = ngettext(
        "Meldpunt: news in %(count)d case", "Meldpunt: news in %(count)d cases", count
    ) % {"count": count}
    if urgent:
        subject = _("URGENT: %(subject)s") % {"subject": subject}
    lines = [_("There is news in cases you handle. Sign in to read it."), ""]
    for mark in marks:
        news = "; ".join(mark.event_labels())
        prefix = _("URGENT") + ": " if is_urgent(mark.signal) else ""
        lines.append(f"- {prefix}{news}")
        lines.append(f"  {case_link(mark.signal, handles=mark.signal_id in handled)}")
    return subject, "\n".join(lines) + "\n"
