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
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from access.models import AccessLogEntry
from access.services import log_action
from coordination.models import Connection, Note, PossibleConnection
from signals.models import Attachment, Signal

from .personal_data import clear_personal_data
from .selectors import due_for_retention

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
        for relation in PERSONAL_RELATIONS:
            getattr(signal, relation).all().delete()
        delete_attachments(signal)
        Note.objects.filter(signal=signal).delete()
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
