"""The public intake: a citizen's or victim's report, its receipt code, the conversation."""

import uuid
from dataclasses import dataclass, field

from django.db import transaction

from inbox.models import UnreadMark
from inbox.services import mark_unread
from intake import uploads
from intake.services import receive_signal
from regions.models import Municipality
from signals import receipts
from signals.models import ExploitationForm, Indicator, Message, Signal


@dataclass
class PublicReport:
    """The answers of the public form, as its steps cleaned them."""

    language: str
    description: str
    submission_key: uuid.UUID
    receipt_code: str
    location_kind: str = Signal.LocationKind.UNKNOWN
    municipality: Municipality | None = None
    occurred_when: str = ""
    people_count: int | None = None
    involves_minor: bool | None = None
    forms: list[ExploitationForm] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    is_urgent: bool = False
    about_reporter: bool | None = None
    # Files waiting in private storage, as intake.uploads.keep_for_later described them.
    uploads: list[dict] = field(default_factory=list)
    contact_name: str = ""
    # Normalised by signals.identifiers: E.164, and lower case.
    contact_phone: str = ""
    contact_email: str = ""


def receive_public_report(report: PublicReport) -> tuple[Signal, bool]:
    """Receive a report from the public form; False when this form was sent before.

    The signal keeps only an HMAC and a slow hash of the receipt code. The waiting files become
    attachments in the same transaction; their temporary folder is removed after the commit.
    """
    created: list[Signal] = []

    def store_related(signal: Signal) -> None:
        signal.forms.set(report.forms)
        signal.indicators.set(report.indicators)
        uploads.attach(signal, report.uploads)
        created.append(signal)

    signal = receive_signal(
        source=Signal.Source.PUBLIC,
        language=report.language,
        description=report.description,
        location_kind=report.location_kind,
        municipality=report.municipality,
        is_urgent=report.is_urgent,
        involves_minor=report.involves_minor,
        submission_key=report.submission_key,
        details={
            "about_reporter": report.about_reporter,
            "occurred_when": report.occurred_when,
            "people_count": report.people_count,
            "contact_name": report.contact_name,
            "contact_phone": report.contact_phone,
            "contact_email": report.contact_email,
            "receipt_lookup": receipts.lookup_key(report.receipt_code),
            "receipt_hash": receipts.slow_hash(report.receipt_code),
        },
        with_signal=store_related,
    )
    draft_key = str(report.submission_key)
    transaction.on_commit(lambda: uploads.discard_draft_files(draft_key))
    return signal, bool(created)


def post_reporter_message(signal: Signal, *, body: str, language: str) -> Message:
    """The reporter, known only by the receipt code, adds information or answers. The case is
    marked unread for whoever handles it."""
    with transaction.atomic():
        message = Message.objects.create(
            signal=signal, author_kind=Message.Author.REPORTER, body=body, language=language
        )
        mark_unread(signal, event=UnreadMark.Event.REPORTER_REPLY)
    return message
