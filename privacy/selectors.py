"""Which signals are due for removal of their personal data under the retention periods, and
which signals hold data on a person who asks (data-subject requests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from access.selectors import signals_controlled_by
from coordination.phrasebook import COORDINATOR_LANGUAGE, phrase_text, reply_text
from meldpunt.core import crypto
from organisations.models import Organisation
from signals import identifiers
from signals.models import NewsNotice, Person, RetentionHold, Signal
from signals.selectors import signal_for_receipt

from .models import DestructionRecord


def due_for_retention(now: datetime | None = None) -> QuerySet[Signal]:
    """Signals whose status has a retention period (RETENTION_DAYS) and that have not changed
    for that long, and whose personal data is still there.

    A merged duplicate keeps the status it had when merged, which may have no period; it follows
    the signal it was merged into instead: due when that one is due or has lost its data."""
    now = now or timezone.now()
    own, kept = Q(), Q()
    for status, days in settings.RETENTION_DAYS.items():
        cutoff = now - timedelta(days=days)
        own |= Q(status=status, updated_at__lt=cutoff)
        kept |= Q(merged_into__status=status, merged_into__updated_at__lt=cutoff)
    if not own:
        return Signal.objects.none()
    due = Q(merged_into__isnull=True) & own | Q(merged_into__isnull=False) & (
        kept | Q(merged_into__anonymised_at__isnull=False)
    )
    # A hold keeps a case (and the duplicates merged into it) until its end date has passed.
    held = RetentionHold.objects.filter(
        ends_on__gte=timezone.localdate(now), lifted_at__isnull=True
    )
    return (
        Signal.objects.filter(due, anonymised_at__isnull=True)
        .exclude(Exists(held.filter(signal=OuterRef("pk"))))
        .exclude(Exists(held.filter(signal=OuterRef("merged_into"))))
        .order_by("pk")
    )


def losing_data_next_week(now: datetime | None = None) -> QuerySet[Signal]:
    """The signals that will lose their personal data within the week ahead (due then, not yet
    now), holds that end before then included: what each area is warned of."""
    now = now or timezone.now()
    return due_for_retention(now + timedelta(days=7)).exclude(
        pk__in=due_for_retention(now).values("pk")
    )


def destruction_list(organisations, *, limit: int = 500) -> QuerySet[DestructionRecord]:
    """What was removed from the signals the organisations hold, latest first: when, on which
    grounds and how many rows of each kind, never what they held."""
    held = Q()
    for organisation in organisations:
        held |= Q(signal__in=signals_controlled_by(organisation).values("pk"))
    if not held:
        return DestructionRecord.objects.none()
    return DestructionRecord.objects.filter(held).select_related("signal__region")[:limit]


# Data-subject requests (rechten van betrokkenen): finding everything an organisation holds on one
# person. All matching of a person lives in `find_subject`, so that the lookups by identifier are
# written once.

SUBJECT_KINDS = ("name", "phone", "email", "receipt_code")


@dataclass
class MatchedPerson:
    person: Person
    on: set[str] = field(default_factory=set)


@dataclass
class SubjectMatch:
    """One signal in which the subject was found: as persons in it, as its reporter, or both."""

    signal: Signal
    persons: list[MatchedPerson] = field(default_factory=list)
    # What identified the subject as the reporter; empty when they are not the reporter.
    reporter_on: set[str] = field(default_factory=set)
    # What was found written in the signal's own words (its description): "name".
    text_on: set[str] = field(default_factory=set)

    @property
    def is_reporter(self) -> bool:
        return bool(self.reporter_on)

    def kinds(self) -> set[str]:
        found = set(self.reporter_on) | self.text_on
        for matched in self.persons:
            found |= matched.on
        return found


class _Matches:
    """Collects hits per signal and per person while `find_subject` looks them up."""

    def __init__(self) -> None:
        self.by_signal: dict[int, SubjectMatch] = {}
        self.by_person: dict[int, MatchedPerson] = {}

    def _signal(self, signal: Signal) -> SubjectMatch:
        return self.by_signal.setdefault(signal.pk, SubjectMatch(signal=signal))

    def person(self, person: Person, kind: str) -> None:
        matched = self.by_person.get(person.pk)
        if matched is None:
            matched = self.by_person[person.pk] = MatchedPerson(person=person)
            self._signal(person.signal).persons.append(matched)
        matched.on.add(kind)

    def reporter(self, signal: Signal, kind: str) -> None:
        self._signal(signal).reporter_on.add(kind)

    def text(self, signal: Signal, kind: str) -> None:
        self._signal(signal).text_on.add(kind)

    def result(self) -> list[SubjectMatch]:
        matches = sorted(self.by_signal.values(), key=lambda m: m.signal.created_at, reverse=True)
        for match in matches:
            match.persons.sort(key=lambda matched: (matched.person.order, matched.person.pk))
        return matches


def find_subject(
    organisation: Organisation,
    *,
    name: str = "",
    phone: str = "",
    email: str = "",
    receipt_code: str = "",
) -> list[SubjectMatch]:
    """Every signal the organisation is controller of (access.selectors.signals_controlled_by: it
    submitted or coordinates it, not what it reads through a share) in which the person appears:
    as a person in the signal or as its reporter, by any identifier given.

    The one place where a person is matched. Identifiers are encrypted at rest, so each is
    compared as the blind index of its normalised form (signals.identifiers: a phone number in
    E.164, an e-mail address in lower case, a name without accents, case or extra spaces, in
    full), and a name also in the words of a description (the word index, whole words only); an
    invalid phone number or e-mail address raises ValidationError. A receipt code finds
    the public signal it belongs to (HMAC lookup, Argon2 check).
    """
    scope = signals_controlled_by(organisation).select_related("region")
    persons = Person.objects.filter(signal__in=scope.values("pk")).select_related("signal__region")
    found = _Matches()
    if phone and (key := identifiers.phone_key(identifiers.normalise_phone(phone))):
        for person in persons.filter(phone_numbers__number_key=key).distinct():
            found.person(person, "phone")
        for signal in scope.filter(contact_phone_key=key):
            found.reporter(signal, "phone")
    if email and (key := identifiers.email_key(identifiers.normalise_email(email))):
        for person in persons.filter(email_key=key):
            found.person(person, "email")
        for signal in scope.filter(Q(contact_email_key=key) | Q(news_notice__email_key=key)):
            found.reporter(signal, "email")
    if name and (key := identifiers.name_key(name)):
        for person in persons.filter(name_key=key):
            found.person(person, "name")
        for signal in scope.filter(contact_name_key=key):
            found.reporter(signal, "name")
    # A name written in a description ("Ana Popescu works at ..."): found through the word index
    # (Signal.search_tokens), as a signal holding every word of the name.
    if name and (tokens := crypto.search_tokens(name)):
        for signal in scope.filter(search_tokens__contains=tokens):
            found.text(signal, "name")
    if receipt_code:
        signal = signal_for_receipt(receipt_code)
        if signal is not None and (signal := scope.filter(pk=signal.pk).first()) is not None:
            found.reporter(signal, "receipt_code")
    return found.result()


def stored_matches(matches: list[SubjectMatch]) -> list[dict]:
    """What a search found, as ids only, to be kept between pages without the searched values."""
    return [
        {
            "signal": str(match.signal.public_id),
            "persons": {str(m.person.public_id): sorted(m.on) for m in match.persons},
            "reporter": sorted(match.reporter_on),
            "text": sorted(match.text_on),
        }
        for match in matches
    ]


def matches_from_stored(organisation: Organisation, stored: list[dict]) -> list[SubjectMatch]:
    """The matches of an earlier search again, limited to what the organisation is still
    controller of."""
    signals = {
        str(signal.public_id): signal
        for signal in signals_controlled_by(organisation)
        .filter(public_id__in=[entry["signal"] for entry in stored])
        .select_related("region")
    }
    person_ids = [person_id for entry in stored for person_id in entry["persons"]]
    persons = {
        str(person.public_id): person
        for person in Person.objects.filter(
            public_id__in=person_ids, signal__in=list(signals.values())
        )
    }
    matches = []
    for entry in stored:
        signal = signals.get(entry["signal"])
        if signal is None:
            continue
        matches.append(
            SubjectMatch(
                signal=signal,
                persons=[
                    MatchedPerson(person=persons[person_id], on=set(kinds))
                    for person_id, kinds in entry["persons"].items()
                    if person_id in persons
                ],
                reporter_on=set(entry["reporter"]),
                text_on=set(entry.get("text", [])),
            )
        )
    return matches


def _person_data(person: Person) -> dict:
    return {
        "role": person.get_role_display(),
        "name": person.name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "estimated_age": person.estimated_age,
        "gender": person.get_gender_display(),
        "nationality": person.nationality,
        "language": person.language,
        "email": person.email,
        "phone_numbers": [phone.number for phone in person.phone_numbers.all()],
        "address": {
            "street": person.street,
            "house_number": person.house_number,
            "postcode": person.postcode,
            "city": person.city,
        },
    }


def subject_export_data(matches: list[SubjectMatch], header: dict) -> dict:
    """Everything held on the subject in the matched signals, under a header saying who made the
    export, for which organisation, when and for which request. Messages are included when the
    subject is the reporter; attachments are listed (name, type, size)."""
    signals = []
    for match in matches:
        signal = match.signal
        entry = {
            "signal": str(signal.public_id),
            "received_at": signal.created_at.isoformat(),
            "region": signal.region.name if signal.region else None,
            "status": signal.get_status_display(),
            "source": signal.get_source_display(),
            "found_by": sorted(match.kinds()),
            "language": signal.language,
            "description": signal.description,
            "persons": [
                {**_person_data(matched.person), "found_by": sorted(matched.on)}
                for matched in match.persons
            ],
            "reporter": None,
            "messages": [],
            "attachments": [
                {
                    "name": attachment.original_name,
                    "type": attachment.content_type,
                    "size": attachment.size,
                    "uploaded_at": attachment.uploaded_at.isoformat(),
                }
                for attachment in signal.attachments.all()
            ],
        }
        if match.is_reporter:
            entry["reporter"] = {
                "name": signal.contact_name,
                "phone": signal.contact_phone,
                "email": signal.contact_email,
                "news_notices_to": ", ".join(
                    NewsNotice.objects.filter(signal=signal).values_list("email", flat=True)
                ),
                "found_by": sorted(match.reporter_on),
            }
            entry["messages"] = [
                {
                    "from": message.get_author_kind_display(),
                    "at": message.created_at.isoformat(),
                    "language": message.language,
                    # Standard phrases and quick replies as the coordinators read them.
                    "phrase": phrase_text(
                        message.phrase, message.phrase_params, language=COORDINATOR_LANGUAGE
                    ),
                    "quick_reply": reply_text(
                        message.reply, message.reply_value, language=COORDINATOR_LANGUAGE
                    ),
                    "text": message.body,
                }
                for message in signal.messages.all()
            ]
        signals.append(entry)
    return {"export": header, "signals": signals}
