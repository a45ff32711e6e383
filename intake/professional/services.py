"""The professional intake: drafts, submitting, and adding information afterwards."""

import hashlib
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from access.services import grant_submitter_access
from accounts.models import User
from coordination.translation import translation_tasks
from inbox.models import UnreadMark
from inbox.services import mark_unread
from intake import uploads
from intake.services import queue_processing
from meldpunt.core.queueing import enqueue_all_on_commit
from organisations.models import Organisation
from regions.models import Municipality
from signals.models import (
    Addition,
    Attachment,
    BankAccount,
    Company,
    ExploitationForm,
    Indicator,
    Location,
    Person,
    PhoneNumber,
    ReportingCodeStep,
    Signal,
    SignalEvent,
    Vehicle,
    Website,
)


@dataclass
class ProfessionalReport:
    """A professional's intake as the form cleaned it; identifiers are already normalised.

    Each of `persons`, `companies`, `locations`, `vehicles`, `websites` and `bank_accounts` is a
    list of field values for the model of that name; a person's `phone_numbers` is a list of
    (raw, E.164) pairs.
    """

    organisation: Organisation
    language: str
    own_reference: str = ""
    description: str = ""
    forms: list[ExploitationForm] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    is_urgent: bool = False
    involves_minor: bool | None = None
    victim_consent: str = Signal.VictimConsent.UNKNOWN
    victim_wants_police: str = Signal.Wish.UNKNOWN
    victim_wants_immigration: str = Signal.Wish.UNKNOWN
    persons: list[dict] = field(default_factory=list)
    companies: list[dict] = field(default_factory=list)
    locations: list[dict] = field(default_factory=list)
    vehicles: list[dict] = field(default_factory=list)
    websites: list[dict] = field(default_factory=list)
    bank_accounts: list[dict] = field(default_factory=list)
    # Files checked by intake.uploads.clean_upload (images already stripped of metadata).
    files: list[uploads.CleanFile] = field(default_factory=list)


def _routing_place(locations: list[dict]) -> tuple[str, Municipality | None]:
    """Where triage routes to: the first location in a municipality, else online, else unknown."""
    for location in locations:
        if location.get("municipality") is not None:
            return Signal.LocationKind.MUNICIPALITY, location["municipality"]
    if any(location["kind"] == Location.Kind.ONLINE for location in locations):
        return Signal.LocationKind.ONLINE, None
    return Signal.LocationKind.UNKNOWN, None


def _write_professional_signal(
    report: ProfessionalReport, *, user: User, submission_key: uuid.UUID, draft: Signal | None
) -> tuple[Signal, bool]:
    """Create or update the draft with everything in `report`; False if it was submitted before.

    Runs inside the caller's transaction. The draft row is locked, so that two clicks on submit
    submit once.
    """
    if draft is None:
        draft = Signal.objects.filter(submission_key=submission_key, created_by=user).first()
    if draft is not None:
        draft = Signal.objects.select_for_update(of=("self",)).get(pk=draft.pk)
        if draft.status != Signal.Status.DRAFT:
            return draft, False
    signal = draft or Signal(
        source=Signal.Source.PROFESSIONAL,
        status=Signal.Status.DRAFT,
        submission_key=submission_key,
        created_by=user,
    )
    signal.location_kind, signal.municipality = _routing_place(report.locations)
    signal.language = report.language
    signal.submitted_by = report.organisation
    signal.own_reference = report.own_reference
    signal.description = report.description
    signal.is_urgent = report.is_urgent
    signal.involves_minor = report.involves_minor
    signal.victim_consent = report.victim_consent
    signal.victim_wants_police = report.victim_wants_police
    signal.victim_wants_immigration = report.victim_wants_immigration
    signal.save()
    signal.forms.set(report.forms)
    signal.indicators.set(report.indicators)
    # A draft is saved whole each time: its rows are replaced rather than matched up.
    for related in (
        signal.persons,
        signal.companies,
        signal.locations,
        signal.vehicles,
        signal.websites,
        signal.bank_accounts,
    ):
        related.all().delete()
    for order, values in enumerate(report.persons):
        values = dict(values)
        phone_numbers = values.pop("phone_numbers", [])
        person = Person.objects.create(signal=signal, order=order, **values)
        PhoneNumber.objects.bulk_create(
            PhoneNumber(person=person, raw=raw, number=number) for raw, number in phone_numbers
        )
    Company.objects.bulk_create(
        Company(signal=signal, order=order, **values)
        for order, values in enumerate(report.companies)
    )
    Location.objects.bulk_create(
        Location(signal=signal, order=order, **values)
        for order, values in enumerate(report.locations)
    )
    Vehicle.objects.bulk_create(Vehicle(signal=signal, **values) for values in report.vehicles)
    Website.objects.bulk_create(Website(signal=signal, **values) for values in report.websites)
    BankAccount.objects.bulk_create(
        BankAccount(signal=signal, **values) for values in report.bank_accounts
    )
    # Files are added to what an earlier save of the draft attached, not replaced.
    for clean in report.files:
        attachment = Attachment(
            signal=signal,
            original_name=clean.name,
            content_type=clean.content_type,
            size=len(clean.data),
            sha256=hashlib.sha256(clean.data).hexdigest(),
        )
        attachment.file.save(uuid.uuid4().hex, ContentFile(clean.data), save=False)
        attachment.save()
    return signal, True


def save_professional_draft(
    report: ProfessionalReport,
    *,
    user: User,
    submission_key: uuid.UUID,
    draft: Signal | None = None,
) -> Signal:
    """Save an unfinished intake. A draft is not received: no triage, no access for anyone else."""
    try:
        with transaction.atomic():
            signal, _ = _write_professional_signal(
                report, user=user, submission_key=submission_key, draft=draft
            )
    except IntegrityError:
        existing = Signal.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        # A concurrent request with the same form (a double click) created it first.
        return existing
    return signal


def submit_professional_signal(
    report: ProfessionalReport,
    *,
    user: User,
    submission_key: uuid.UUID,
    draft: Signal | None = None,
) -> Signal:
    """Receive a professional's signal: the submitting organisation gets access and, after the
    commit, triage is queued. Submitting the same form (or draft) twice gives one signal.
    """
    try:
        with transaction.atomic():
            signal, written = _write_professional_signal(
                report, user=user, submission_key=submission_key, draft=draft
            )
            if not written:
                return signal
            signal.status = Signal.Status.NEW
            # Received now, not when the draft was begun: triage deadlines count from here.
            signal.created_at = timezone.now()
            signal.save(update_fields=["status", "created_at", "updated_at"])
            SignalEvent.objects.create(signal=signal, kind=SignalEvent.Kind.RECEIVED, actor=user)
            grant_submitter_access(signal, organisation=report.organisation)
    except IntegrityError:
        existing = Signal.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        # A concurrent request with the same form (a double click) received it first.
        return existing
    queue_processing(signal)
    return signal


@transaction.atomic
def add_information(signal: Signal, *, user: User, text: str) -> Addition:
    """The submitting organisation adds information to a signal it submitted (aanvulling); the
    case is marked unread for whoever handles it, and the text machine-translated when on."""
    addition = Addition.objects.create(
        signal=signal, organisation=signal.submitted_by, author=user, text=text
    )
    mark_unread(signal, event=UnreadMark.Event.INFORMATION_ADDED, but=user)
    enqueue_all_on_commit(translation_tasks(signal))
    return addition


@transaction.atomic
def save_reporting_code(
    signal: Signal,
    *,
    by: User,
    organisation: Organisation,
    steps: dict[int, tuple[bool, str]],
) -> list[ReportingCodeStep]:
    """Keep the organisation's meldcode checklist on a signal about a minor: per step whether it
    is done and a note. A step ticked now records who and when; one unticked forgets them; a step
    neither done nor noted is not kept."""
    kept = {
        row.step: row
        for row in ReportingCodeStep.objects.select_for_update().filter(
            signal=signal, organisation=organisation
        )
    }
    now = timezone.now()
    result = []
    for step, (done, note) in sorted(steps.items()):
        row = kept.get(step) or ReportingCodeStep(
            signal=signal, organisation=organisation, step=step
        )
        if done and row.done_at is None:
            row.done_at, row.done_by = now, by
        elif not done:
            row.done_at, row.done_by = None, None
        row.note = note
        if row.done_at is None and not note:
            if row.pk is not None:
                row.delete()
            continue
        row.save()
        result.append(row)
    return result
