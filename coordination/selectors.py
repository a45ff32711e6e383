"""Reads for the coordinators' workspace: the regional queue, a case's history and notes, and
`case_detail`, a signal as one viewer may see it on every page and in the API."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    F,
    Field,
    Func,
    PositiveSmallIntegerField,
    Q,
    QuerySet,
    UUIDField,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.models import Share
from access.permissions import CONTRIBUTE, TRIAGE, VIEW
from access.selectors import can, coordinating_organisations, signals_visible_to
from accounts.models import User
from inbox.selectors import unread_signal_ids
from meldpunt.core import crypto, memo
from opvang.models import PlacementRequest
from opvang.selectors import placements_for_signal
from organisations.models import Membership, Organisation
from organisations.selectors import COORDINATING_KINDS, coordinator_organisations
from regions.models import Region
from regions.selectors import area_contacts_by_region
from signals import identifiers
from signals.models import (
    Addition,
    Attachment,
    BankAccount,
    Company,
    InterpreterRequest,
    Location,
    MachineTranslation,
    Message,
    Person,
    PhoneNumber,
    PoliceHandover,
    Question,
    ReflectionPeriod,
    ReportingDecision,
    ResidenceApplication,
    RetentionHold,
    Signal,
    SignalEvent,
    Vehicle,
    Website,
)
from signals.selectors import conversation, machine_translations, signal_details
from triage.selectors import areas_coordinated_by

from . import phrasebook
from .conference_selectors import conferences_of
from .cursors import NO_DEADLINE, QueueCursor
from .models import CaseConference, Connection, Note, PossibleConnection, Registration
from .registration_selectors import registrations_of

CLOSED_STATUSES = (Signal.Status.CLOSED,)


def search_filter(query: str) -> Q:
    """Signals whose description holds every word of `query`, accents and case aside; whose
    reference it is: the portal's (a short reference or a whole public id) or the submitting
    organisation's own case number; or that hold the identifier it is, in any notation: a phone
    number, e-mail address, licence plate, IBAN or website (also the reporter's phone or e-mail).

    Descriptions and identifiers are encrypted, so they are compared as blind indexes: the words
    through the GIN index signal_search_tokens, identifiers through their `*_key` indexes, the
    references through their own indexes. A blind index matches whole values only: part of a
    word or of a number finds nothing. A query without a searchable word (only one-letter words
    or punctuation) and no identifier finds nothing.
    """
    tokens = crypto.search_tokens(query)
    found = Q(search_tokens__contains=tokens) if tokens else Q(pk__in=[])
    bounds = _reference_range(query)
    if bounds is not None:
        found |= Q(public_id__range=bounds)
    if query.strip():
        found |= Q(own_reference__iexact=query.strip())
    holding = signals_holding(identifiers.search_keys(query))
    if holding:
        found |= Q(pk__in=holding)
    return found


def signals_holding(keys: dict[str, str], *, limit: int = 1000) -> set[int]:
    """The ids of signals that hold any of these identifiers (kind → blind index), as a person's,
    vehicle's, website's or bank account's, or as the reporter's own contact: one indexed lookup
    per place an identifier is kept. Read first, so that the queue's query gets a short list."""
    found: set[int] = set()
    for kind, key in keys.items():
        for model, field, to_signal, _shown in IDENTIFIER_SOURCES.get(kind, []):
            found.update(
                model.objects.filter(**{field: key}).values_list(f"{to_signal}_id", flat=True)[
                    :limit
                ]
            )
        contact_field = REPORTER_CONTACT_KEYS.get(kind)
        if contact_field:
            found.update(
                Signal.objects.filter(**{contact_field: key}).values_list("pk", flat=True)[:limit]
            )
    return found


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    form: int | None = None
    minor: bool = False
    urgent: bool = False
    overdue: bool = False
    assigned: str = ""  # "me", "nobody" or ""
    source: str = ""
    query: str = ""
    include_closed: bool = False
    merged: bool = False  # only the duplicates merged into other signals
    unread: bool = False  # only the cases with news the user has not read (inbox)
    # only the cases whose reflection period (bedenktijd) ends within the warning days
    reflection_ends_soon: bool = False


# The queue's order: most urgent, then nearest deadline (none last), then oldest; the public id
# makes it total, so that keyset pages never skip or repeat a signal. The same expressions, after
# region_id, are the index signal_queue_idx, which PostgreSQL then reads in this order.
QUEUE_DEADLINE = Coalesce("deadline", Value(NO_DEADLINE, output_field=DateTimeField()))
QUEUE_ORDER = ("priority", QUEUE_DEADLINE, "created_at", "public_id")
QUEUE_PAGE_SIZE = 25


def queue_regions(user: User) -> list[int]:
    """The areas whose queue the user works: those their coordinator organisations serve, and
    every area for the fallback (CoMensha) and the national desk, which get the signals of areas
    without a coordinator of their own.

    The permission filter alone decides what the user may see; the area as well lets
    PostgreSQL read the queue in order from signal_queue_idx instead of sorting it. Asked once
    per request: the page and its counts both need it.
    """
    return memo.memoised(
        ("coordination.queue_regions", user.pk),
        lambda: areas_coordinated_by(coordinator_organisations(user)),
    )


def coordinator_queue(user: User, filters: QueueFilters = QueueFilters()) -> QuerySet[Signal]:
    """The signals routed to the regions the user's organisations serve, most urgent first."""
    return _queue_of(signals_visible_to(user, TRIAGE), user, filters)


def _queue_of(signals: QuerySet[Signal], user: User, filters: QueueFilters) -> QuerySet[Signal]:
    """The queue's regions, filters and order, applied to `signals`."""
    # Merged duplicates leave the queue (a test on the row itself, no join); the "merged" filter
    # finds them again.
    signals = signals.filter(merged_into__isnull=not filters.merged)
    signals = signals.filter(region__in=queue_regions(user))
    if filters.status:
        signals = signals.filter(status=filters.status)
    elif not filters.include_closed:
        signals = signals.exclude(status__in=CLOSED_STATUSES)
    if filters.form:
        signals = signals.filter(forms=filters.form)
    if filters.minor:
        signals = signals.filter(involves_minor=True)
    if filters.urgent:
        signals = signals.filter(is_urgent=True)
    if filters.overdue:
        signals = signals.filter(overdue_at__isnull=False)
    if filters.assigned == "me":
        signals = signals.filter(assigned_to=user)
    elif filters.assigned == "nobody":
        signals = signals.filter(assigned_to__isnull=True)
    if filters.source:
        signals = signals.filter(source=filters.source)
    if filters.unread:
        signals = signals.filter(pk__in=unread_signal_ids(user))
    if filters.reflection_ends_soon:
        today = timezone.localdate()
        signals = signals.filter(
            reflection_period__ends_on__range=(
                today,
                today + timedelta(days=settings.REFLECTION_PERIOD_WARN_DAYS),
            ),
            reflection_period__outcome__in=[
                ReflectionPeriod.Outcome.OPEN,
                ReflectionPeriod.Outcome.TAKEN,
            ],
        )
    if filters.query:
        signals = signals.filter(search_filter(filters.query))
    return signals.select_related("region", "municipality", "assigned_to").order_by(*QUEUE_ORDER)


class _Row(Func):
    """A row value, ROW(a, b, …). Compared with another as a whole, it gives PostgreSQL one place
    in the index to start reading at, which a chain of ORs would not."""

    function = "ROW"
    output_field = Field()


def _queue_key(signal: Signal) -> tuple:
    return (signal.priority, signal.deadline or NO_DEADLINE, signal.created_at, signal.public_id)


def _key_values(cursor: QueueCursor) -> _Row:
    fields = (PositiveSmallIntegerField(), DateTimeField(), DateTimeField(), UUIDField())
    return _Row(
        *(Value(value, output_field=f) for value, f in zip(cursor.key(), fields, strict=True))
    )


def _cursor(signal: Signal, position: int) -> QueueCursor:
    return QueueCursor(*_queue_key(signal), position=position)


@dataclass(frozen=True)
class QueuePage:
    signals: list[Signal]
    start: int  # the position of the first signal in the queue, from 0
    previous: QueueCursor | None  # ask for the signals before this one, if there are any
    next: QueueCursor | None  # ask for the signals after this one, if there are any

    @property
    def first_number(self) -> int:
        return self.start + 1

    @property
    def last_number(self) -> int:
        return self.start + len(self.signals)


def queue_page(
    user: User,
    filters: QueueFilters = QueueFilters(),
    *,
    after: QueueCursor | None = None,
    before: QueueCursor | None = None,
    size: int = QUEUE_PAGE_SIZE,
) -> QueuePage:
    """One page of the queue: the first, the one after `after` or the one before `before`.

    Each page reads `size + 1` signals from where the cursor points (the one extra tells whether
    there is more), so a page deep in the queue costs what the first one does.
    """
    # Candidates: the queue without the permission test, which _read applies to each page.
    queue = _queue_of(Signal.objects.all(), user, filters)
    if before is not None:
        earlier = _read(user, _seek(queue, LessThan, before), size + 1, backwards=True)
        if len(earlier) > size:
            rows = earlier[1:]
            start = max(before.position - size, 1)
            return QueuePage(
                rows, start, _cursor(rows[0], start), _cursor(rows[-1], start + size - 1)
            )
    elif after is not None:
        rows = _read(user, _seek(queue, GreaterThan, after), size + 1)
        if rows:
            start = after.position + 1
            more = len(rows) > size
            rows = rows[:size]
            return QueuePage(
                rows,
                start,
                _cursor(rows[0], start),
                _cursor(rows[-1], start + size - 1) if more else None,
            )
    # The first page; also where a cursor leads when too little is left before or after it.
    rows = _read(user, queue, size + 1)
    return QueuePage(
        rows[:size], 0, None, _cursor(rows[size - 1], size - 1) if len(rows) > size else None
    )


def _seek(queue: QuerySet[Signal], comparison: type, cursor: QueueCursor) -> QuerySet[Signal]:
    """The part of `queue` after (GreaterThan) or before (LessThan) the cursor's signal."""
    return queue.filter(comparison(_Row(*QUEUE_ORDER), _key_values(cursor)))


def _read(
    user: User, candidates: QuerySet[Signal], limit: int, *, backwards: bool = False
) -> list[Signal]:
    """The first `limit` candidates the user may triage (the last ones if `backwards`), in the
    queue's order.

    In two short steps, each with a plan PostgreSQL cannot get wrong: the candidates' sort keys
    from signal_queue_idx alone (an index-only scan in order, the quick filters tested on the
    index too), then the permission test and the rows for just those ids. Asked in one query,
    PostgreSQL misjudges how many of a region's signals pass the permission test and reads and
    hashes the region's whole queue instead. A candidate the user may not triage (rare: an
    organisation that took on a region later holds no grants on its older signals) is made up
    for by reading on, further each time.
    """
    seek = LessThan if backwards else GreaterThan
    ordered = candidates.reverse() if backwards else candidates
    found: list[Signal] = []
    batch = limit
    while True:
        keys = list(
            ordered.values_list("priority", "deadline", "created_at", "public_id", "pk")[:batch]
        )
        found += (
            signals_visible_to(user, TRIAGE)
            .filter(pk__in=[key[-1] for key in keys])
            .select_related("region", "municipality", "assigned_to")
            .order_by()  # sorted below, with those of the rounds before
        )
        if len(found) >= limit or len(keys) < batch:
            break
        priority, deadline, created_at, public_id, _pk = keys[-1]
        edge = QueueCursor(priority, deadline or NO_DEADLINE, created_at, public_id, position=0)
        ordered = _seek(ordered, seek, edge)
        batch *= 4
    found.sort(key=_queue_key, reverse=backwards)
    page = found[:limit]
    return page[::-1] if backwards else page


def queue_counts(user: User) -> dict[str, int]:
    """How many open signals each quick filter would show, counted per region in one query.

    The counts are of the open signals routed to the user's regions, read from signal_queue_idx
    alone (index-only): the region's coordinators are granted every signal routed to it, so the
    per-signal permission test, which would cost more than everything else on the page, is left
    to the list itself. "unread" tests the signal against the user's few unread marks, read
    once (an uncorrelated subquery, hashed).
    """
    open_signals = Signal.objects.filter(
        merged_into__isnull=True, region__in=queue_regions(user)
    ).exclude(status__in=CLOSED_STATUSES)
    return open_signals.aggregate(
        all=Count("pk"),
        unread=Count("pk", filter=Q(pk__in=unread_signal_ids(user))),
        new=Count("pk", filter=Q(status=Signal.Status.TRIAGED)),
        urgent=Count("pk", filter=Q(is_urgent=True)),
        minor=Count("pk", filter=Q(involves_minor=True)),
        overdue=Count("pk", filter=Q(overdue_at__isnull=False)),
        mine=Count("pk", filter=Q(assigned_to=user)),
        nobody=Count("pk", filter=Q(assigned_to__isnull=True)),
    )


def acting_organisation(user: User, signal: Signal) -> Organisation | None:
    """The coordinator organisation the user acts for on this signal: the one of theirs that
    handles it (its area's own, or the fallback covering an area without one), else one serving
    its area."""
    mine = coordinator_organisations(user).order_by("pk")
    return (
        mine.filter(pk__in=coordinating_organisations(signal)).first()
        or mine.filter(regions=signal.region_id).first()
    )


def assignable_colleagues(user: User, signal: Signal) -> QuerySet[User]:
    """Coordinators of the organisation the user acts for on this signal, the user included."""
    organisation = acting_organisation(user, signal)
    if organisation is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__roles__contains=[Membership.Role.COORDINATOR],
    ).order_by("email")


def assignable_colleague(user: User, signal: Signal, *, email: str) -> User | None:
    """The coordinator colleague with this e-mail address, or None: also when an account with it
    exists elsewhere, so that the answer does not tell whether it does."""
    return assignable_colleagues(user, signal).filter(email__iexact=email).first()


def notes_for(user: User, signal: Signal) -> QuerySet[Note]:
    """The internal notes of the organisations the user belongs to; never other organisations'."""
    return Note.objects.filter(signal=signal, organisation__memberships__user=user).select_related(
        "author"
    )


def timeline(signal: Signal) -> QuerySet[SignalEvent]:
    return signal.events.select_related("actor").order_by("created_at", "pk")


@dataclass(frozen=True)
class ReflectionState:
    """A reflection period (bedenktijd) as the case page shows it: its dates, and whether the
    coordinator must be warned that its end is near, or it has passed."""

    period: ReflectionPeriod
    start: date
    end: date
    ends_soon: bool
    ended: bool


def reflection_period(signal: Signal, today: date | None = None) -> ReflectionState | None:
    period = ReflectionPeriod.objects.filter(signal=signal).first()
    if period is None:
        return None
    today = today or timezone.localdate()
    running = period.outcome in (ReflectionPeriod.Outcome.OPEN, ReflectionPeriod.Outcome.TAKEN)
    warn = today + timedelta(days=settings.REFLECTION_PERIOD_WARN_DAYS)
    return ReflectionState(
        period=period,
        start=period.starts_on,
        end=period.ends_on,
        ends_soon=running and today <= period.ends_on <= warn,
        ended=period.ends_on < today or period.outcome == ReflectionPeriod.Outcome.ENDED,
    )


@dataclass(frozen=True)
class Procedures:
    """The procedures on a case (signals.models.procedures), each None until recorded."""

    reflection: ReflectionState | None
    residence_application: ResidenceApplication | None
    reporting_decision: ReportingDecision | None
    police_handover: PoliceHandover | None

    def __bool__(self) -> bool:
        return any(
            (
                self.reflection,
                self.residence_application,
                self.reporting_decision,
                self.police_handover,
            )
        )


def procedures_of(signal: Signal) -> Procedures:
    return Procedures(
        reflection=reflection_period(signal),
        residence_application=ResidenceApplication.objects.filter(signal=signal).first(),
        reporting_decision=ReportingDecision.objects.filter(signal=signal).first(),
        police_handover=PoliceHandover.objects.filter(signal=signal).first(),
    )


# The victim's wishes about the authorities (Signal.victim_wants_*): which organisations and which
# status count as involving the police or the immigration authorities.
AUTHORITIES_OF_KIND = {
    Organisation.Kind.POLICE: ("police",),
    # The Marechaussee is border police and the immigration authority at the border.
    Organisation.Kind.KMAR: ("police", "immigration"),
}
AUTHORITIES_OF_STATUS = {Signal.Status.REFERRED_POLICE: ("police",)}


@dataclass(frozen=True)
class VictimWishes:
    """Whether the possible victim wants the police and the immigration authorities involved,
    and why their "no" may be set aside without a recorded reason, if it may."""

    police: str
    immigration: str
    police_label: str
    immigration_label: str
    exception_code: str  # "" unless a minor is involved ("minor") or someone in danger ("danger")

    @property
    def exception(self) -> str:
        return str(WISH_EXCEPTIONS.get(self.exception_code, ""))

    def refused(self, authorities: tuple[str, ...]) -> list[str]:
        """Of `authorities` ("police", "immigration"), those the victim does not want."""
        wishes = {"police": self.police, "immigration": self.immigration}
        return [name for name in authorities if wishes[name] == Signal.Wish.NO]

    def needs_reason(self, authorities: tuple[str, ...]) -> bool:
        return bool(self.refused(authorities)) and not self.exception


WISH_EXCEPTIONS = {
    "danger": gettext_lazy("someone is in danger now"),
    "minor": gettext_lazy("a minor may be involved"),
}


def victim_wishes(signal: Signal) -> VictimWishes:
    if signal.is_urgent:
        exception = "danger"
    elif signal.involves_minor:
        exception = "minor"
    else:
        exception = ""
    return VictimWishes(
        police=signal.victim_wants_police,
        immigration=signal.victim_wants_immigration,
        police_label=signal.get_victim_wants_police_display(),
        immigration_label=signal.get_victim_wants_immigration_display(),
        exception_code=exception,
    )


def can_still_triage(user: User, signal: Signal) -> bool:
    """After a transfer the sender may have lost the signal; then the case page would be a 404."""
    return signals_visible_to(user, TRIAGE).filter(pk=signal.pk).exists()


def _address(row: Person | Location | Company) -> str:
    return f"{row.postcode} {row.house_number}"


def _person(row: Person) -> str:
    return f"{row.name}, {date_format(row.date_of_birth, 'SHORT_DATE_FORMAT')}"


# Where each kind of identifier is kept as an indexed blind index (see signals/identifiers.py):
# (model, key field, path from that model to the signal, how the identifier reads decrypted).
IDENTIFIER_SOURCES: dict[str, list[tuple[type, str, str, Callable[[Any], str]]]] = {
    Connection.Kind.PHONE: [(PhoneNumber, "number_key", "person__signal", attrgetter("number"))],
    Connection.Kind.EMAIL: [(Person, "email_key", "signal", attrgetter("email"))],
    Connection.Kind.PLATE: [(Vehicle, "plate_key", "signal", attrgetter("plate"))],
    Connection.Kind.IBAN: [(BankAccount, "iban_key", "signal", attrgetter("iban"))],
    Connection.Kind.WEBSITE: [(Website, "domain_key", "signal", attrgetter("domain"))],
    Connection.Kind.ADDRESS: [
        (Person, "address_key", "signal", _address),
        (Location, "address_key", "signal", _address),
        (Company, "address_key", "signal", _address),
    ],
    Connection.Kind.PERSON: [(Person, "identity_key", "signal", _person)],
    Connection.Kind.KVK: [(Company, "kvk_key", "signal", attrgetter("kvk_number"))],
}
# The reporter's own contact details are kept with blind indexes too (Signal.contact_*_key): a
# coordinator finds a reporter who calls again, but connections are never made on them.
REPORTER_CONTACT_KEYS = {
    Connection.Kind.PHONE: "contact_phone_key",
    Connection.Kind.EMAIL: "contact_email_key",
}


def signal_identifiers(signal: Signal) -> set[tuple[str, str]]:
    """Every (kind, blind index) recorded for the signal."""
    found = set()
    for kind, sources in IDENTIFIER_SOURCES.items():
        for model, field, to_signal, _shown in sources:
            values = model.objects.filter(**{to_signal: signal}).values_list(field, flat=True)
            found.update((kind, value) for value in values if value)
    return found


def signals_sharing(kind: str, value: str, *, but: Signal) -> set[int]:
    """The ids of other submitted signals with this identifier: an indexed lookup per source."""
    found = set()
    for model, field, to_signal, _shown in IDENTIFIER_SOURCES[kind]:
        found.update(
            model.objects.filter(**{field: value})
            .exclude(**{f"{to_signal}__status": Signal.Status.DRAFT})
            .values_list(f"{to_signal}_id", flat=True)
        )
    found.discard(but.pk)
    return found


# Where the loose name keys of possible connections are kept (signals.identifiers).
POSSIBLE_SOURCES = {
    PossibleConnection.Kind.TRANSLITERATED: "transliterated_key",
    PossibleConnection.Kind.PHONETIC: "phonetic_key",
}


def possible_identifiers(signal: Signal) -> set[tuple[str, str]]:
    """Every (kind of possible connection, name key) of the signal's persons."""
    found = set()
    for kind, field in POSSIBLE_SOURCES.items():
        values = Person.objects.filter(signal=signal).values_list(field, flat=True)
        found.update((kind, value) for value in values if value)
    return found


def signals_possibly_sharing(kind: str, value: str, *, but: Signal) -> set[int]:
    """Other submitted signals with a person whose name key of this kind is `value`, leaving
    out those already connected to `but` by an exact person or a decision on the pair."""
    found = set(
        Person.objects.filter(**{POSSIBLE_SOURCES[kind]: value})
        .exclude(signal__status=Signal.Status.DRAFT)
        .exclude(signal=but)
        .values_list("signal_id", flat=True)
    )
    if not found:
        return found
    known = Connection.objects.filter(
        signal=but,
        other_id__in=found,
        kind__in=[Connection.Kind.PERSON, Connection.Kind.CONFIRMED],
    ).values_list("other_id", flat=True)
    decided = (
        PossibleConnection.objects.filter(signal=but, other_id__in=found)
        .exclude(status=PossibleConnection.Status.OPEN)
        .values_list("other_id", flat=True)
    )
    return found - set(known) - set(decided)


def own_identifiers(signal: Signal) -> dict[tuple[str, str], str]:
    """The signal's own identifiers, decrypted, by (kind, blind index): what a connection of this
    signal shares, in the words of this signal (never of the connected one)."""
    shown = {}
    for kind, sources in IDENTIFIER_SOURCES.items():
        for model, field, to_signal, as_text in sources:
            for row in model.objects.filter(**{to_signal: signal}).exclude(**{field: ""}):
                shown.setdefault((kind, getattr(row, field)), as_text(row))
    # A possible connection, and one a coordinator confirmed, shows the person as named here.
    for kind, field in POSSIBLE_SOURCES.items():
        for person in Person.objects.filter(signal=signal).exclude(**{field: ""}):
            named = f"{person.name}, {person.date_of_birth.year}"
            shown.setdefault((kind, getattr(person, field)), named)
            shown.setdefault((Connection.Kind.CONFIRMED, getattr(person, field)), named)
    return shown


@dataclass(frozen=True)
class AreaContact:
    """How to reach the coordinators of an area (regio): the coordinator the overview of
    zorgcoördinatoren publishes for it, or those of a coordinator organisation serving it."""

    name: str
    email: str
    phone: str


def area_contacts_for(regions: list[Region | None]) -> dict[int | None, AreaContact | None]:
    """How to reach the coordinators of each region, by region id, in two queries however many
    regions: the published contacts (an area's own, else the remote coordination's; none for the
    national desk), else a coordinator organisation serving it with an e-mail address or phone."""
    by_id = {region.pk: region for region in regions if region is not None}
    contacts: dict[int | None, AreaContact | None] = {None: None} if None in regions else {}
    published = area_contacts_by_region(list(by_id.values()))
    missing = []
    for region_id, region in by_id.items():
        own = published.get(region_id) or (
            [] if region.is_national_desk else published.get(None, [])
        )
        if own:
            contact = own[0]
            contacts[region_id] = AreaContact(contact.organisation, contact.email, contact.phone)
        else:
            contacts[region_id] = None
            missing.append(region_id)
    if missing:
        serving = (
            Organisation.objects.filter(regions__in=missing, kind__in=COORDINATING_KINDS)
            .exclude(email="", phone="")
            .annotate(served=F("regions"))
            .order_by("pk")
        )
        for organisation in serving:
            if contacts.get(organisation.served) is None:
                contacts[organisation.served] = AreaContact(
                    organisation.name, organisation.email, organisation.phone
                )
    return contacts


@dataclass(frozen=True)
class ConnectedSignal:
    """A connection as the viewer may see it: the signal in full, or only that it exists.

    `shared` names each shared identifier's kind with the value as the viewer's own signal holds
    it, e.g. "phone number: +31612345678". `reference`, `received_at`, the area and its contact
    let the coordinators of the two areas find each other and the signal, whether or not the
    viewer may open it.
    """

    kinds: tuple[str, ...]
    shared: tuple[str, ...]
    reference: str
    received_at: datetime
    region_name: str
    contact: AreaContact | None
    signal: Signal | None  # None: the viewer may not see the connected signal
    handled: bool  # the viewer may handle it: linked to its case page, else its signal page
    review_id: str = ""  # a possible connection's id, for the decision on it


def connections_for(user: User, signal: Signal) -> list[ConnectedSignal]:
    """The signals connected to `signal`, newest first. Those the user may see come in full; of
    the others only that they exist, when, under which reference, in which area, and how to
    reach that area's coordinators."""
    rows = Connection.objects.filter(signal=signal).select_related("other__region")
    return _connected(user, signal, rows, Connection.Kind)


def possible_connections_for(user: User, signal: Signal) -> list[ConnectedSignal]:
    """The possible connections of `signal` still to review, shown with the same
    confidentiality as exact ones (connections_for); `review_id` is what a decision names."""
    rows = PossibleConnection.objects.filter(
        signal=signal, status=PossibleConnection.Status.OPEN
    ).select_related("other__region")
    return _connected(user, signal, rows, PossibleConnection.Kind)


def _connected(user: User, signal: Signal, rows, kinds) -> list[ConnectedSignal]:
    by_other: dict[int, list] = {}
    for row in rows:
        by_other.setdefault(row.other_id, []).append(row)
    if not by_other:
        return []
    visible = set(signals_visible_to(user).filter(pk__in=by_other).values_list("pk", flat=True))
    handled = set(
        signals_visible_to(user, TRIAGE).filter(pk__in=visible).values_list("pk", flat=True)
    )
    own = own_identifiers(signal)
    contacts = area_contacts_for([connections[0].other.region for connections in by_other.values()])
    result = []
    for other_id, connections in by_other.items():
        other = connections[0].other
        result.append(
            ConnectedSignal(
                kinds=tuple(sorted({kinds(row.kind).label for row in connections})),
                shared=tuple(
                    sorted(
                        {
                            f"{kinds(row.kind).label}: {own[row.kind, row.value]}"
                            if (row.kind, row.value) in own
                            else str(kinds(row.kind).label)
                            for row in connections
                        }
                    )
                ),
                reference=short_reference(other),
                received_at=other.created_at,
                region_name=other.region.name if other.region else "",
                contact=contacts[other.region_id],
                signal=other if other_id in visible else None,
                handled=other_id in handled,
                review_id=str(getattr(connections[0], "public_id", "")),
            )
        )
    return sorted(result, key=lambda connected: connected.received_at, reverse=True)


@dataclass(frozen=True)
class ConnectionOverviewRow:
    """For the national desk: two connected signals, by reference and area, with how to reach
    both areas' coordinators, so that the desk can bring them together. No content."""

    found_at: datetime
    kinds: tuple[str, ...]
    references: tuple[str, str]
    region_names: tuple[str, str]
    contacts: tuple[AreaContact | None, AreaContact | None]

    @property
    def sides(self) -> list[tuple[str, str, AreaContact | None]]:
        """(reference, area, contact) of each of the two signals."""
        return list(zip(self.references, self.region_names, self.contacts, strict=True))


def connection_graph(limit: int = 500) -> list[ConnectionOverviewRow]:
    """For the national desk: the latest connected pairs, as metadata only (references, areas,
    kinds of identifier, when), never an identifier or a description."""
    rows = (
        Connection.objects.filter(signal_id__lt=F("other_id"))
        .select_related("signal__region", "other__region")
        .order_by("-created_at")[: limit * 4]
    )
    pairs: dict[tuple[int, int], list[Connection]] = {}
    for row in rows:
        pairs.setdefault((row.signal_id, row.other_id), []).append(row)
    shown = list(pairs.values())[:limit]
    contacts = area_contacts_for(
        [
            row.region
            for connections in shown
            for row in (connections[0].signal, connections[0].other)
        ]
    )
    overview = []
    for connections in shown:
        one, other = connections[0].signal, connections[0].other
        overview.append(
            ConnectionOverviewRow(
                found_at=connections[0].created_at,
                kinds=tuple(sorted({str(Connection.Kind(row.kind).label) for row in connections})),
                references=(short_reference(one), short_reference(other)),
                region_names=(
                    one.region.name if one.region else "",
                    other.region.name if other.region else "",
                ),
                contacts=(contacts[one.region_id], contacts[other.region_id]),
            )
        )
    return overview


def questions_for(signal: Signal) -> QuerySet[Question]:
    """The coordinators' questions to the submitting organisation, oldest first."""
    return signal.questions.select_related("asked_by", "answered_by")


# Merging duplicates (samenvoegen). A signal is referred to by its public id; people read and type
# its first characters, the short reference.
SHORT_REFERENCE_LENGTH = 8
_FULL_ID = re.compile(r"[0-9a-f]{8}-?(?:[0-9a-f]{4}-?){3}[0-9a-f]{12}")
_PREFIX = re.compile(rf"[0-9a-f]{{{SHORT_REFERENCE_LENGTH},32}}")


def short_reference(signal: Signal) -> str:
    return signal.public_id.hex[:SHORT_REFERENCE_LENGTH]


def _reference_range(text: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The public ids a typed reference stands for: one full id (also inside a pasted case page
    address), or every id starting with a short reference. A range, so the unique index answers."""
    text = text.strip().lower()
    found = _FULL_ID.search(text)
    if found:
        public_id = uuid.UUID(found.group())
        return public_id, public_id
    prefix = text.replace("-", "")
    if not _PREFIX.fullmatch(prefix):
        return None
    return uuid.UUID(prefix.ljust(32, "0")), uuid.UUID(prefix.ljust(32, "f"))


class AmbiguousReference(Exception):
    """More than one signal the user may handle starts with the typed short reference."""


def triageable_signal_by_reference(user: User, text: str) -> Signal | None:
    """The signal the user may triage that `text` refers to; None for an unknown signal and for
    one the user may not handle alike, so that a reference reveals nothing."""
    bounds = _reference_range(text)
    if bounds is None:
        return None
    found = list(signals_visible_to(user, TRIAGE).filter(public_id__range=bounds)[:2])
    if len(found) > 1:
        raise AmbiguousReference
    return found[0] if found else None


def merge_candidates(user: User, signal: Signal) -> QuerySet[Signal]:
    """Connected signals the user may merge into `signal`: triageable, not merged themselves."""
    connected = Connection.objects.filter(signal=signal).values("other_id")
    return (
        signals_visible_to(user, TRIAGE)
        .filter(pk__in=connected, merged_into__isnull=True)
        .exclude(pk=signal.pk)
        .order_by("-created_at")[:50]
    )


@dataclass(frozen=True)
class MergedDuplicate:
    """A duplicate merged into a signal, in full when the viewer may see it, else only that it
    exists and where."""

    reference: str
    region_name: str
    merged_at: datetime
    signal: Signal | None


def merged_duplicates(user: User, signal: Signal) -> list[MergedDuplicate]:
    """The duplicates merged into `signal`, oldest merge first, with what the case page shows."""
    duplicates = list(
        signal.duplicates.select_related("region")
        .prefetch_related(
            "attachments",
            "persons__phone_numbers",
            "companies",
            "locations__municipality",
            "vehicles",
            "websites",
            "bank_accounts",
            "messages",
        )
        .order_by("merged_at", "pk")
    )
    visible = set(
        signals_visible_to(user)
        .filter(pk__in=[duplicate.pk for duplicate in duplicates])
        .values_list("pk", flat=True)
    )
    return [
        MergedDuplicate(
            reference=short_reference(duplicate),
            region_name=duplicate.region.name if duplicate.region else "",
            merged_at=duplicate.merged_at,
            signal=duplicate if duplicate.pk in visible else None,
        )
        for duplicate in duplicates
    ]


# A signal's details, the same on the coordinator's case page, the professional signal page and in
# the API: one rule per part for who sees it, here. The parts in the order the case page shows
# them:
#
#   part                                                   handler   submitter   reader
#   1 summary: status, area, priority, deadline, assignee     yes        yes        yes
#     the reasons for its priority                            yes        no         no
#   2 what happened (indicators in Dutch)                     yes        yes        yes
#   3 persons and identifiers                                 yes        yes        yes
#   4 the reporter's contact details (given with consent)     yes        no         no
#   5 attachments                                             yes        yes        yes
#   6 additions, and answers to questions                     yes        yes        no
#   7 messages with the reporter                              yes        no         no
#     questions to the submitter                              yes        yes        no
#     internal notes (of their own organisation)              yes        no         no
#   8 shares, placements, connections                         yes        no         no
#   9 history                                                 yes        no         no
#     merged duplicates                                       yes        no         no
#     the signal it was merged into             if they may read that signal too
#
# The handler is a coordinator of the signal's region (the national desk for the signals without
# a Dutch location): they may triage it. The submitter is the organisation that submitted it: its
# professionals may contribute. A reader may only view it: an organisation it was shared with or
# that a routing rule names; they see what the intake recorded, which is what a share's purpose
# needs, and nothing of the exchanges between coordinator, submitter and reporter. The case page
# opens for handlers only; the signal page shows every part the viewer's rule gives; the API
# gives the parts its schema has.

# Indicators and forms of exploitation are shown in Dutch whatever language the reporter used:
# coordinators triage on the Dutch signalenlijst, whatever the words the reporter ticked. So are
# standard phrases and quick replies (coordination.phrasebook).
CASE_FILE_LANGUAGE = phrasebook.COORDINATOR_LANGUAGE


@dataclass(frozen=True)
class ConversationLine:
    """A message with the reporter as one reader reads it: standard phrases and quick replies in
    the reader's language, the free text as written with its machine translation for the reader
    (when there is one), and the files it brought."""

    message: Message
    phrase: str  # the standard phrase in the reader's language, "" when none
    phrase_original: str  # the phrase as the coordinator read it (Dutch), for another reader
    reply: str  # a reporter's quick reply in the reader's language
    translation: str  # the free text machine-translated into the reader's language, or ""
    files: tuple[Attachment, ...]
    answered: bool  # a structured question that the reporter answered
    question: str  # for an answer: the phrase (or free text) of the question it answers
    question_language: str  # ... and the language it is in

    @property
    def is_open_question(self) -> bool:
        return bool(self.message.expects) and not self.answered


def conversation_lines(signal: Signal, *, reader_language: str) -> list[ConversationLine]:
    """The conversation with the reporter, oldest first, for a reader of `reader_language`: the
    coordinators read it in Dutch (CASE_FILE_LANGUAGE), the reporter in the report's language."""
    messages = list(conversation(signal))
    translations = machine_translations(signal, into=reader_language)
    by_pk = {message.pk: message for message in messages}
    answered = {message.in_reply_to_id for message in messages if message.in_reply_to_id}

    def phrase_of(message: Message) -> str:
        return phrasebook.phrase_text(
            message.phrase, message.phrase_params, language=reader_language
        )

    lines = []
    for message in messages:
        question = by_pk.get(message.in_reply_to_id)
        lines.append(
            ConversationLine(
                message=message,
                phrase=phrase_of(message),
                phrase_original=(
                    phrasebook.phrase_text(
                        message.phrase, message.phrase_params, language=CASE_FILE_LANGUAGE
                    )
                    if reader_language != CASE_FILE_LANGUAGE
                    else ""
                ),
                reply=phrasebook.reply_text(
                    message.reply, message.reply_value, language=reader_language
                ),
                translation=translations.get(MachineTranslation.source_of(message), ""),
                files=tuple(message.attachments.all()),
                answered=message.pk in answered,
                question=(phrase_of(question) or question.body) if question else "",
                question_language=(
                    (reader_language if question.phrase else question.language) if question else ""
                ),
            )
        )
    return lines


@dataclass(frozen=True)
class ReporterContact:
    """A public reporter's contact details, given only with their consent to be contacted about
    this report, and how they want to be contacted: by phone (a call back) or by e-mail, in the
    language of their report."""

    name: str
    phone: str
    email: str
    language: str  # the language code of the report: speak or write to them in it
    about_reporter: bool  # the reporter is the person it happens to (a possible victim)
    # How it is safe to contact them (signals.models.ContactWishes), as they said.
    contact_channel: str = ""
    contact_times: tuple[str, ...] = ()
    contact_voicemail: bool | None = None
    contact_sms: bool | None = None
    contact_language: str = ""
    contact_interpreter: bool | None = None

    @property
    def by_phone(self) -> bool:
        return bool(self.phone)


@dataclass(frozen=True)
class HistoryLine:
    """One entry of a signal's history in words: areas by their names, a transfer a transfer."""

    at: datetime
    actor: str  # who did it (e-mail address), "" for the system
    text: str
    reason: str = ""  # what a person wrote with it (a reason, a purpose): shown as their text
    other: str = ""  # a merge's or split's other signal (public id), if the viewer may read it
    other_handled: bool = False  # ... and may handle it


def _day(value: str | None) -> str:
    try:
        return date_format(date.fromisoformat(value or ""), "SHORT_DATE_FORMAT")
    except ValueError:
        return value or ""


def _moment(value: str | None) -> str:
    try:
        return date_format(
            timezone.localtime(datetime.fromisoformat(value or "")), "SHORT_DATETIME_FORMAT"
        )
    except ValueError:
        return value or ""


def _history_text(event: SignalEvent, region_names: dict[str, str]) -> str:
    """What happened, in the reader's language. Region codes in the detail become names."""
    kind, detail = event.kind, event.detail
    area = lambda code: region_names.get(code, code) if code else "—"  # noqa: E731
    if kind == SignalEvent.Kind.TRIAGED:
        return _("Routed to %(region)s, priority %(priority)s, look at before %(deadline)s") % {
            "region": area(detail.get("region")),
            "priority": _label(Signal.Priority, detail.get("priority")),
            "deadline": _moment(detail.get("deadline")),
        }
    if kind == SignalEvent.Kind.REROUTED:
        return _("Transferred from %(from)s to %(to)s") % {
            "from": area(detail.get("from")),
            "to": area(detail.get("to")),
        }
    if kind == SignalEvent.Kind.STATUS_CHANGED:
        return _("Status changed from “%(from)s” to “%(to)s”") % {
            "from": _label(Signal.Status, detail.get("from")),
            "to": _label(Signal.Status, detail.get("to")),
        }
    if kind == SignalEvent.Kind.ASSIGNED:
        if detail.get("to"):
            return _("Assigned to %(person)s") % {"person": detail["to"]}
        return _("No longer assigned to anyone")
    if kind == SignalEvent.Kind.SHARED and detail.get("nobody"):
        return _(
            "Routing rule “%(rule)s” found no organisation to give access to in this area "
            "(legal basis: %(basis)s)"
        ) % {
            "rule": detail.get("rule", ""),
            "basis": _label(Share.LegalBasis, detail.get("legal_basis")),
        }
    if kind == SignalEvent.Kind.SHARED:
        return _("Shared with %(organisation)s until %(date)s, on the legal basis: %(basis)s") % {
            "organisation": detail.get("organisation", ""),
            "date": _day(detail.get("ends_on")),
            "basis": _label(Share.LegalBasis, detail.get("legal_basis")),
        }
    if kind == SignalEvent.Kind.REGISTERED:
        return _("Registered with CoMensha by %(organisation)s, on the legal basis: %(basis)s") % {
            "organisation": detail.get("organisation", ""),
            "basis": _label(Share.LegalBasis, detail.get("legal_basis")),
        }
    if kind == SignalEvent.Kind.PLACEMENT:
        return _("Placement request to %(offer)s (%(provider)s): %(status)s") % {
            "offer": detail.get("offer_name", ""),
            "provider": detail.get("provider", ""),
            "status": _label(PlacementRequest.Status, detail.get("status")),
        }
    if kind == SignalEvent.Kind.RETENTION_HOLD:
        return _("Personal data held past the retention period until %(date)s") % {
            "date": _day(detail.get("ends_on"))
        }
    if kind in PROCEDURE_KINDS:
        return "; ".join(_procedure_parts(kind, detail))
    if kind == SignalEvent.Kind.MERGED:
        if detail.get("role") == "kept":
            return _("A duplicate was merged into this signal")
        return _("Merged into another signal as a duplicate")
    if kind == SignalEvent.Kind.SPLIT:
        if detail.get("role") == "kept":
            return _("A duplicate was split off from this signal")
        return _("Split off: no longer a duplicate")
    if kind == SignalEvent.Kind.INTERPRETER_ARRANGED:
        return _("Interpreter arranged: %(language)s, %(how)s") % {
            "language": _language_name(detail.get("language")),
            "how": _label(InterpreterRequest.Mode, detail.get("mode")),
        }
    return str(event.get_kind_display())


PROCEDURE_KINDS = {
    SignalEvent.Kind.REFLECTION_PERIOD,
    SignalEvent.Kind.REFLECTION_REMINDER,
    SignalEvent.Kind.RESIDENCE_APPLICATION,
    SignalEvent.Kind.REPORTING_DECISION,
    SignalEvent.Kind.POLICE_HANDOVER,
}


def _procedure_parts(kind: str, detail: dict) -> list[str]:
    """A procedure's history entry (coordination.procedure_services) as phrases in words."""
    if kind == SignalEvent.Kind.REFLECTION_REMINDER:
        return [
            _("Reminder mailed: the reflection period ends on %(date)s")
            % {"date": _day(detail.get("end"))}
        ]
    if kind == SignalEvent.Kind.REFLECTION_PERIOD:
        parts = [_("Reflection period offered from %(date)s") % {"date": _day(detail.get("start"))}]
        if detail.get("end"):
            parts.append(_("ends on %(date)s") % {"date": _day(detail["end"])})
        if detail.get("offered_by"):
            service = _label(ReflectionPeriod.OfferedBy, detail["offered_by"])
            parts.append(_("offered by %(service)s") % {"service": service})
        if detail.get("outcome"):
            parts.append(
                _("outcome: %(outcome)s on %(date)s")
                % {
                    "outcome": _label(ReflectionPeriod.Outcome, detail["outcome"]),
                    "date": _day(detail.get("outcome_on")),
                }
            )
        if detail.get("b8_follows"):
            parts.append(_("a B8/3 residence application follows"))
        return parts
    if kind == SignalEvent.Kind.RESIDENCE_APPLICATION:
        parts = [
            _("B8/3 residence application of %(date)s") % {"date": _day(detail.get("applied_on"))}
        ]
        if detail.get("outcome"):
            parts.append(
                _("decision: %(outcome)s on %(date)s")
                % {
                    "outcome": _label(ResidenceApplication.Outcome, detail["outcome"]),
                    "date": _day(detail.get("decided_on")),
                }
            )
        return parts
    if kind == SignalEvent.Kind.REPORTING_DECISION:
        parts = [
            _("Reporting to the police: %(decision)s")
            % {"decision": _label(ReportingDecision.Decision, detail.get("decision"))}
        ]
        if detail.get("decided_on"):
            parts.append(_("decided on %(date)s") % {"date": _day(detail["decided_on"])})
        return parts
    parts = [
        _("Handed over to the police on %(date)s") % {"date": _day(detail.get("handed_over_on"))}
    ]
    if detail.get("feedback_on"):
        parts.append(_("feedback received on %(date)s") % {"date": _day(detail["feedback_on"])})
    return parts


def _language_name(code: str | None) -> str:
    return str(dict(settings.LANGUAGES).get(code or "", code or ""))


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _reason(event: SignalEvent) -> str:
    detail = event.detail
    if event.kind == SignalEvent.Kind.SHARED:
        text = detail.get("purpose", "")
    else:
        text = detail.get("reason", "") or ""
    if detail.get("against_wishes"):
        # Acting against the possible victim's wish is recorded with its reason (or exception).
        reason = detail.get("against_wishes_reason") or WISH_EXCEPTIONS.get(
            detail.get("against_wishes_exception", ""), ""
        )
        against = _("Against the possible victim's wish: %(reason)s") % {"reason": reason}
        text = f"{text} — {against}" if text else against
    return text


@dataclass(frozen=True)
class CaseDetail:
    """A signal as `viewer` may see it: `signal` loaded with its intake's rows, and each part
    written about it afterwards (see the table above), empty when the viewer's role does not
    reach it. Parts are read when first used, so a page pays only for what it shows."""

    signal: Signal
    viewer: User
    handles: bool  # triage permission: a coordinator of its region, or the national desk
    contributes: bool  # contribute permission: the submitting organisation

    @property
    def involved(self) -> bool:
        return self.handles or self.contributes

    # 1. Summary

    @cached_property
    def triage_decision(self) -> SignalEvent | None:
        return next((e for e in self.timeline if e.kind == SignalEvent.Kind.TRIAGED), None)

    @cached_property
    def priority_reasons(self) -> list[dict]:
        """Why triage gave this priority and deadline, as triage.rules stored them."""
        decision = self.triage_decision
        return list(decision.detail.get("reasons", [])) if decision is not None else []

    # 2. What happened

    @cached_property
    def forms_in_dutch(self) -> list[str]:
        with translation.override(CASE_FILE_LANGUAGE):
            return [str(form.name) for form in self.signal.forms.all()]

    @cached_property
    def indicators_in_dutch(self) -> list[tuple[str, str]]:
        """The indicators ticked, as (category, indicator), in Dutch."""
        with translation.override(CASE_FILE_LANGUAGE):
            return [
                (str(indicator.category.name), str(indicator.name))
                for indicator in self.signal.indicators.all()
            ]

    # 4. The reporter's contact details

    @cached_property
    def reporter_contact(self) -> ReporterContact | None:
        signal = self.signal
        if not self.handles or not (signal.contact_phone or signal.contact_email):
            return None
        return ReporterContact(
            name=signal.contact_name,
            phone=signal.contact_phone,
            email=signal.contact_email,
            language=signal.language,
            about_reporter=bool(signal.about_reporter),
            contact_channel=signal.contact_channel,
            contact_times=tuple(signal.contact_times),
            contact_voicemail=signal.contact_voicemail,
            contact_sms=signal.contact_sms,
            contact_language=signal.contact_language,
            contact_interpreter=signal.contact_interpreter,
        )

    # 6. Additions and answers of the submitting organisation; 7. the conversations and notes

    @cached_property
    def additions(self) -> list[Addition]:
        if not self.involved:
            return []
        return list(self.signal.additions.select_related("author", "organisation"))

    @cached_property
    def questions(self) -> list[Question]:
        return list(questions_for(self.signal)) if self.involved else []

    @cached_property
    def conversation(self) -> list[ConversationLine]:
        if not self.handles:
            return []
        return conversation_lines(self.signal, reader_language=CASE_FILE_LANGUAGE)

    @cached_property
    def interpreter_requests(self) -> list[InterpreterRequest]:
        """What the reporter asked for: an interpreter, in which language, how (handlers only,
        who arrange it)."""
        if not self.handles:
            return []
        return list(self.signal.interpreter_requests.select_related("arranged_by"))

    @cached_property
    def translations(self) -> dict[str, str]:
        """Machine translations into Dutch of what the reporter and the submitter wrote, by the
        text they translate (MachineTranslation.source): shown under each original."""
        return machine_translations(self.signal, into=CASE_FILE_LANGUAGE)

    @cached_property
    def notes(self) -> list[Note]:
        return list(notes_for(self.viewer, self.signal)) if self.handles else []

    # 8. Shares, placements, connections

    @cached_property
    def shares(self) -> list[Share]:
        """Every share of the signal, the latest first, ended and revoked ones included."""
        if not self.handles:
            return []
        return list(
            self.signal.shares.select_related("organisation", "shared_by", "revoked_by").order_by(
                "-created_at", "-pk"
            )
        )

    @cached_property
    def conferences(self) -> list[CaseConference]:
        """Its case conferences (signaaltafels), for its handlers to open."""
        return list(conferences_of(self.signal)) if self.handles else []

    @cached_property
    def registrations(self) -> list[Registration]:
        """Its (possible) victims registered with CoMensha."""
        return list(registrations_of(self.signal)) if self.handles else []

    @cached_property
    def placements(self) -> list[PlacementRequest]:
        return list(placements_for_signal(self.signal)) if self.handles else []

    @cached_property
    def connections(self) -> list[ConnectedSignal]:
        return connections_for(self.viewer, self.signal) if self.handles else []

    @cached_property
    def possible_connections(self) -> list[ConnectedSignal]:
        return possible_connections_for(self.viewer, self.signal) if self.handles else []

    # 9. History

    @cached_property
    def timeline(self) -> list[SignalEvent]:
        return list(timeline(self.signal)) if self.handles else []

    @cached_property
    def history(self) -> list[HistoryLine]:
        """The timeline in words."""
        codes = set()
        for event in self.timeline:
            if event.kind == SignalEvent.Kind.TRIAGED:
                codes.add(event.detail.get("region"))
            elif event.kind == SignalEvent.Kind.REROUTED:
                codes.update((event.detail.get("from"), event.detail.get("to")))
        names = dict(Region.objects.filter(code__in=codes - {None}).values_list("code", "name"))
        lines = []
        for event in self.timeline:
            other = ""
            if event.kind in (SignalEvent.Kind.MERGED, SignalEvent.Kind.SPLIT):
                named = event.detail.get("other", "")
                other = named if named in self.readable_references else ""
            lines.append(
                HistoryLine(
                    at=event.created_at,
                    actor=event.actor.email if event.actor else "",
                    text=_history_text(event, names),
                    reason=_reason(event),
                    other=other,
                    other_handled=other in self.handled_references,
                )
            )
        return lines

    # Merges

    @cached_property
    def merged_into(self) -> Signal | None:
        """The signal this one was merged into, named only to whoever may read that one too."""
        kept = self.signal.merged_into
        return kept if kept is not None and can(self.viewer, VIEW, kept) else None

    @cached_property
    def merged_duplicates(self) -> list[MergedDuplicate]:
        return merged_duplicates(self.viewer, self.signal) if self.handles else []

    @cached_property
    def readable_references(self) -> frozenset[str]:
        """The public ids of the signals its merges name (the one it was merged into, the other
        side of each merge or split in its history) that the viewer may read: only those are
        named, so that a merge reveals nothing of a signal since moved out of reach."""
        named = {
            event.detail.get("other")
            for event in self.timeline
            if event.kind in (SignalEvent.Kind.MERGED, SignalEvent.Kind.SPLIT)
        }
        if self.merged_into is not None:
            named.add(str(self.merged_into.public_id))
        named.discard(None)
        readable = signals_visible_to(self.viewer, VIEW).filter(public_id__in=named)
        return frozenset(
            str(public_id) for public_id in readable.values_list("public_id", flat=True)
        )

    @cached_property
    def handled_references(self) -> frozenset[str]:
        """Of the readable references, those the viewer may handle too: linked to their case
        page, the others to the signal page."""
        handled = signals_visible_to(self.viewer, TRIAGE).filter(
            public_id__in=self.readable_references
        )
        return frozenset(
            str(public_id) for public_id in handled.values_list("public_id", flat=True)
        )

    @cached_property
    def procedures(self) -> Procedures | None:
        """Bedenktijd, B8/3, aangifte, handover to the police: for those who handle the case."""
        if not self.handles:
            return None
        return procedures_of(self.signal)

    @property
    def reflection(self) -> ReflectionState | None:
        return self.procedures.reflection if self.procedures is not None else None

    @cached_property
    def retention_holds(self) -> list[RetentionHold]:
        """Holds on retention still in force, the latest first."""
        if not self.handles:
            return []
        return list(
            self.signal.retention_holds.filter(
                lifted_at__isnull=True, ends_on__gte=timezone.localdate()
            ).select_related("placed_by")
        )

    @cached_property
    def victim_wishes(self) -> VictimWishes:
        return victim_wishes(self.signal)


def case_detail(user: User, signal: Signal) -> CaseDetail:
    """The signal as `user` may see it (the caller has checked that they may read it)."""
    return CaseDetail(
        signal=signal_details(signal),
        viewer=user,
        handles=can(user, TRIAGE, signal),
        contributes=can(user, CONTRIBUTE, signal),
    )
