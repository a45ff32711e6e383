"""Retention (bewaartermijnen): removing the personal data of signals whose period has passed.

What stays is what the monitor counts: source, language, status, region, municipality, forms of
exploitation, indicators, priority, dates, the kinds of history entries and the placements.
Everything that can identify a person goes: persons and their phone numbers, locations, vehicles,
websites, bank accounts, attachments (files included), messages, additions, internal notes and
connections are deleted whole; of what stays, every personal field of the schema is emptied
(privacy.personal_data: the description, contact details, the questions to the submitter and
their answers, the words in history entries, the reasons shelter providers gave, ...), and so are
the receipt code hashes, the submitter's case number and the triage error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access.models import AccessLogEntry
from access.services import log_action
from coordination.models import Connection, Note, PossibleConnection
from coordination.selectors import short_reference
from inbox.services import case_link, signal_coordinators
from signals.models import Attachment, Signal

from .models import DestructionRecord, RetentionDigest
from .personal_data import clear_personal_data
from .selectors import due_for_retention, losing_data_next_week

BATCH_SIZE = 200
# Rows that are only about people and things (they also hold details not encrypted, such as a date
# of birth or a vehicle's colour), deleted whole rather than emptied.
PERSONAL_RELATIONS = (
    "persons",
    "locations",
    "vehicles",
    "websites",
    "bank_accounts",
    "additions",
    "messages",
)


@dataclass
class RetentionReport:
    due: int
    anonymised: int
    dry_run: bool


def anonymise_signal(signal: Signal, *, reason: str) -> bool:
    """Remove the personal data of one signal; False when it was already removed."""
    with transaction.atomic():
        signal = Signal.objects.select_for_update(of=("self",)).get(pk=signal.pk)
        if signal.anonymised_at is not None:
            return False
        removed = {}
        for relation in PERSONAL_RELATIONS:
            removed[relation] = getattr(signal, relation).all().delete()[0]
        removed["attachments"] = signal.attachments.count()
        delete_attachments(signal)
        removed["notes"] = Note.objects.filter(signal=signal).delete()[0]
        Connection.objects.filter(signal=signal).delete()
        Connection.objects.filter(other=signal).delete()
        PossibleConnection.objects.filter(signal=signal).delete()
        PossibleConnection.objects.filter(other=signal).delete()
        # What stays for the figures (the signal, its history, placements, questions) keeps its
        # rows and loses every personal field.
        clear_personal_data(signal)
        # Not encrypted, but each leads to a person: the reporter's receipt code, the submitting
        # organisation's case number, and an error text that may quote the signal.
        signal.own_reference = signal.receipt_hash = signal.triage_error = ""
        signal.receipt_lookup = None
        signal.assigned_to = None
        signal.anonymised_at = timezone.now()
        signal.save()
        # The destruction list: what went and when, counted, without content.
        DestructionRecord.objects.create(
            signal=signal,
            removed_at=signal.anonymised_at,
            grounds=DestructionRecord.Grounds.RETENTION,
            status=signal.status,
            removed={kind: count for kind, count in removed.items() if count},
        )
        log_action(None, signal=signal, action=AccessLogEntry.Action.ANONYMISE, detail=reason)
    return True


def delete_attachments(signal: Signal) -> None:
    """Delete the signal's attachments, and their files once the transaction has committed (a
    rollback keeps both)."""
    attachments = Attachment.objects.filter(signal=signal)
    files = list(attachments.values_list("file", flat=True))
    attachments.delete()
    storage = Attachment._meta.get_field("file").storage

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


def apply_retention(*, dry_run: bool = False, now: datetime | None = None) -> RetentionReport:
    """Anonymise every signal whose retention period has passed. A dry run only counts, so the
    privacy officer can see what would happen before it does."""
    due = due_for_retention(now)
    count = due.count()
    if dry_run:
        return RetentionReport(due=count, anonymised=0, dry_run=True)
    anonymised = 0
    for signal in due.iterator(chunk_size=BATCH_SIZE):
        reason = f"retention: status {signal.status}, unchanged since {signal.updated_at:%Y-%m-%d}"
        anonymised += anonymise_signal(signal, reason=reason)
    return RetentionReport(due=count, anonymised=anonymised, dry_run=False)


def send_retention_digests(*, now: datetime | None = None) -> int:
    """Mail each area's coordinators, once a week, which of their cases lose their personal data
    in the week ahead: references and links, no content, so a hold can still be placed. An area
    with nothing due gets no mail; a run repeated in the same week mails nobody again. Returns
    the number of areas mailed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week = today - timedelta(days=today.weekday())
    by_region: dict[int, list[Signal]] = {}
    for signal in losing_data_next_week(now).filter(region__isnull=False).select_related("region"):
        by_region.setdefault(signal.region_id, []).append(signal)
    mailed = 0
    for signals in by_region.values():
        region = signals[0].region
        with transaction.atomic():
            _digest, created = RetentionDigest.objects.get_or_create(
                region=region, week=week, defaults={"signals": len(signals)}
            )
            if not created:
                continue
            people = sorted(
                {user.email for signal in signals for user in signal_coordinators(signal)} - {""}
            )
            if people:
                with translation.override(settings.LANGUAGE_CODE):
                    subject, body = retention_digest_text(region, signals)
                # A mail error rolls the record back: the next run sends it.
                EmailMessage(subject, body, bcc=people).send()
                mailed += 1
    return mailed


def retention_digest_text(region, signals: list[Signal]) -> tuple[str, str]:
    count = len(signals)
    subject = ngettext(
        "Meldpunt: %(count)d case in %(region)s loses its personal data next week",
        "Meldpunt: %(count)d cases in %(region)s lose their personal data next week",
        count,
    ) % {"count": count, "region": region.name}
    lines = [
        _(
            "Their retention period ends within seven days. If a case must be kept longer, for "
            "example for criminal proceedings, place a hold on its case page before then."
        ),
        "",
    ]
    for signal in sorted(signals, key=lambda signal: signal.created_at):
        lines.append(f"- {short_reference(signal)}: {case_link(signal, handles=True)}")
    return subject, "\n".join(lines) + "\n"
