"""Reads for the coordinators' workspace: the regional queue, a case's history and notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from access.selectors import signals_visible_to
from accounts.models import User
from organisations.models import Membership, Organisation
from organisations.selectors import coordinator_organisations
from signals.models import (
    BankAccount,
    Location,
    Person,
    PhoneNumber,
    Signal,
    SignalEvent,
    Vehicle,
    Website,
)

from .models import Connection, Note, Question

TRIAGE = "signals.triage_signal"
CLOSED_STATUSES = (Signal.Status.CLOSED,)


def search_vector() -> SearchVector:
    """The same expression as the signal_description_search index, so PostgreSQL uses it."""
    return SearchVector("description", config="simple")


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


def coordinator_queue(user: User, filters: QueueFilters = QueueFilters()) -> QuerySet[Signal]:
    """The signals routed to the regions the user's organisations serve, most urgent first."""
    signals = signals_visible_to(user, TRIAGE)
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
    if filters.query:
        signals = signals.annotate(search=search_vector()).filter(
            search=SearchQuery(filters.query, config="simple", search_type="websearch")
        )
    return signals.select_related("region", "municipality", "assigned_to").order_by(
        "priority", F("deadline").asc(nulls_last=True), "created_at"
    )


def queue_counts(user: User) -> dict[str, int]:
    """How many open signals each quick filter would show, in one query."""
    open_signals = signals_visible_to(user, TRIAGE).exclude(status__in=CLOSED_STATUSES)
    return open_signals.aggregate(
        all=Count("pk"),
        new=Count("pk", filter=Q(status=Signal.Status.TRIAGED)),
        urgent=Count("pk", filter=Q(is_urgent=True)),
        minor=Count("pk", filter=Q(involves_minor=True)),
        overdue=Count("pk", filter=Q(overdue_at__isnull=False)),
        mine=Count("pk", filter=Q(assigned_to=user)),
        nobody=Count("pk", filter=Q(assigned_to__isnull=True)),
    )


def acting_organisation(user: User, signal: Signal) -> Organisation | None:
    """The coordinator organisation the user acts for on this signal: one serving its region."""
    return coordinator_organisations(user).filter(regions=signal.region_id).order_by("pk").first()


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


def notes_for(user: User, signal: Signal) -> QuerySet[Note]:
    """The internal notes of the organisations the user belongs to; never other organisations'."""
    return Note.objects.filter(signal=signal, organisation__memberships__user=user).select_related(
        "author"
    )


def timeline(signal: Signal) -> QuerySet[SignalEvent]:
    return signal.events.select_related("actor").order_by("created_at", "pk")


def triage_decision(signal: Signal) -> SignalEvent | None:
    return signal.events.filter(kind=SignalEvent.Kind.TRIAGED).first()


@dataclass(frozen=True)
class ReflectionPeriod:
    start: date
    end: date
    ends_soon: bool
    ended: bool


def reflection_period(signal: Signal, today: date | None = None) -> ReflectionPeriod | None:
    """The bedenktijd's end, and whether the coordinator must be warned that it is near."""
    if signal.reflection_period_start is None:
        return None
    today = today or timezone.localdate()
    end = signal.reflection_period_start + timedelta(days=settings.REFLECTION_PERIOD_DAYS)
    return ReflectionPeriod(
        start=signal.reflection_period_start,
        end=end,
        ends_soon=today <= end <= today + timedelta(days=settings.REFLECTION_PERIOD_WARN_DAYS),
        ended=end < today,
    )


def can_still_triage(user: User, signal: Signal) -> bool:
    """After a transfer the sender may have lost the signal; then the case page would be a 404."""
    return signals_visible_to(user, TRIAGE).filter(pk=signal.pk).exists()


# Where each kind of identifier is kept, normalised and indexed (see signals/identifiers.py):
# (model, normalised field, path from that model to the signal).
IDENTIFIER_SOURCES: dict[str, list[tuple[type, str, str]]] = {
    Connection.Kind.PHONE: [(PhoneNumber, "number", "person__signal")],
    Connection.Kind.EMAIL: [(Person, "email_normalised", "signal")],
    Connection.Kind.PLATE: [(Vehicle, "plate", "signal")],
    Connection.Kind.IBAN: [(BankAccount, "iban", "signal")],
    Connection.Kind.WEBSITE: [(Website, "domain", "signal")],
    Connection.Kind.ADDRESS: [
        (Person, "address_key", "signal"),
        (Location, "address_key", "signal"),
    ],
}


def signal_identifiers(signal: Signal) -> set[tuple[str, str]]:
    """Every (kind, normalised value) recorded for the signal."""
    found = set()
    for kind, sources in IDENTIFIER_SOURCES.items():
        for model, field, to_signal in sources:
            values = model.objects.filter(**{to_signal: signal}).values_list(field, flat=True)
            found.update((kind, value) for value in values if value)
    return found


def signals_sharing(kind: str, value: str, *, but: Signal) -> set[int]:
    """The ids of other submitted signals with this identifier: an indexed lookup per source."""
    found = set()
    for model, field, to_signal in IDENTIFIER_SOURCES[kind]:
        found.update(
            model.objects.filter(**{field: value})
            .exclude(**{f"{to_signal}__status": Signal.Status.DRAFT})
            .values_list(f"{to_signal}_id", flat=True)
        )
    found.discard(but.pk)
    return found


@dataclass(frozen=True)
class ConnectedSignal:
    """A connection as the viewer may see it: the signal in full, or only that it exists."""

    kinds: tuple[str, ...]
    region_name: str
    contact: str
    signal: Signal | None  # None: the viewer may not see the connected signal


def connections_for(user: User, signal: Signal) -> list[ConnectedSignal]:
    """The signals connected to `signal`. Those the user may see come in full; of the others only
    that they exist, in which region, and how to reach that region's coordinators."""
    rows = Connection.objects.filter(signal=signal).select_related("other__region")
    by_other: dict[int, list[Connection]] = {}
    for row in rows:
        by_other.setdefault(row.other_id, []).append(row)
    if not by_other:
        return []
    visible = set(signals_visible_to(user).filter(pk__in=by_other).values_list("pk", flat=True))
    result = []
    for other_id, connections in by_other.items():
        other = connections[0].other
        coordinators = (
            Organisation.objects.filter(regions=other.region_id).exclude(email="").order_by("pk")
            if other.region_id
            else Organisation.objects.none()
        )
        contact = coordinators.first()
        result.append(
            ConnectedSignal(
                kinds=tuple(sorted({Connection.Kind(row.kind).label for row in connections})),
                region_name=other.region.name if other.region else "",
                contact=f"{contact.name}, {contact.email}" if contact else "",
                signal=other if other_id in visible else None,
            )
        )
    return result


def connection_graph(limit: int = 500) -> QuerySet[Connection]:
    """For the national desk: connections as metadata (regions, kinds, when), no content."""
    return (
        Connection.objects.filter(signal_id__lt=F("other_id"))
        .select_related("signal__region", "other__region")
        .order_by("-created_at")[:limit]
    )


def is_national_desk(user: User) -> bool:
    return coordinator_organisations(user).filter(kind=Organisation.Kind.NATIONAL_DESK).exists()


def questions_for(signal: Signal) -> QuerySet[Question]:
    """The coordinators' questions to the submitting organisation, oldest first."""
    return signal.questions.select_related("asked_by", "answered_by")
