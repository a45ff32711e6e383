"""Data-subject requests (rechten van betrokkenen, AVG art. 15 and 17): the privacy officer's
search, export and erasure, each written to the access log.

The access log must not become a second copy of the personal data: a search is logged with the
request reference, the purpose and the *kinds* of identifier searched for (name, phone, ...),
never the values.

What an erasure removes, in one signal:
- each matched person: every personal field (name, date of birth, age, gender, nationality,
  language, e-mail, address) and their phone numbers; the row stays with its role only, so the
  case still shows that a possible victim or suspect was involved;
- when the subject is the reporter: the contact details, the conversation with the coordinator
  and the receipt code (the follow-up page no longer opens), and, for a public signal, its
  attachments: those are the files the reporter uploaded. Files a professional attached are that
  organisation's case record and stay;
- the subject's name wherever it is written in a personal field of the signal or of a row related
  to it (privacy.personal_data), as stored (other spellings stay): the description, when it
  happened, locations, account holders, additions, internal notes, questions and answers,
  messages, the reasons in the history, a provider's reason for declining a placement, ...;
- connections to other signals that rested only on the erased identifiers.
The signal itself stays with what the monitor counts, as after retention.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Field
from django.utils import timezone

from access.models import AccessLogEntry
from access.selectors import controllers_of
from access.services import log_action
from accounts.models import User
from coordination.models import Connection, PossibleConnection
from coordination.selectors import possible_identifiers, signal_identifiers
from organisations.models import Organisation
from signals.models import NewsNotice, Person, Signal, SignalEvent

from .models import DestructionRecord
from .personal_data import rewrite_personal_data
from .selectors import SubjectMatch, subject_export_data
from .services import delete_attachments

# Stands where the subject's name was written in a description.
ERASED_NAME = "[…]"
# What an erased person's row keeps: the role the case still shows, and its place in the list.
PERSON_KEEPS = ("role", "order")
REPORTER_FIELDS_TO_CLEAR = ("contact_name", "contact_phone", "contact_email", "receipt_hash")


def _request_purpose(reference: str, purpose: str) -> str:
    return f"{reference}: {purpose}" if purpose else reference


def _log_for_every_controller(
    by: User,
    *,
    signal: Signal,
    organisation: Organisation,
    action: str,
    purpose: str,
    detail: str,
) -> None:
    """Log a request's step on a signal for the acting organisation and for every other
    controller of the signal (access.selectors.controllers_of): a signal submitted by one
    organisation and coordinated by another has two, and each must see in its own access log
    what the other's privacy officer did with it."""
    log_action(
        by, signal=signal, action=action, organisation=organisation, purpose=purpose, detail=detail
    )
    for controller in controllers_of(signal).exclude(pk=organisation.pk):
        log_action(
            by,
            signal=signal,
            action=action,
            organisation=controller,
            purpose=purpose,
            detail=f"{detail} (request of {organisation.name})",
        )


def record_subject_search(
    *,
    by: User,
    organisation: Organisation,
    reference: str,
    purpose: str,
    kinds: list[str],
    matches: list[SubjectMatch],
) -> AccessLogEntry:
    """Log a search: who, for which organisation, when, for which request, by which kinds of
    identifier, and how many signals it found; not what was typed. Each signal found is logged
    for its other controllers too."""
    entry = log_action(
        by,
        signal=None,
        action=AccessLogEntry.Action.SUBJECT_SEARCH,
        organisation=organisation,
        purpose=_request_purpose(reference, purpose),
        detail=f"by {', '.join(kinds)}; {len(matches)} signals found",
    )
    for match in matches:
        for controller in controllers_of(match.signal).exclude(pk=organisation.pk):
            log_action(
                by,
                signal=match.signal,
                action=AccessLogEntry.Action.SUBJECT_SEARCH,
                organisation=controller,
                purpose=_request_purpose(reference, purpose),
                detail=f"found by {', '.join(sorted(match.kinds()))} "
                f"(request of {organisation.name})",
            )
    return entry


def export_subject(
    matches: list[SubjectMatch],
    *,
    by: User,
    organisation: Organisation,
    reference: str,
    purpose: str,
) -> dict:
    """The export of everything held on the subject, headed by who made it, for which
    organisation, when and for which request; one access-log entry per signal in it."""
    header = {
        "made_by": by.email,
        "organisation": organisation.name,
        "made_at": timezone.now().isoformat(),
        "request_reference": reference,
        "purpose": purpose,
    }
    data = subject_export_data(matches, header)
    for match in matches:
        _log_for_every_controller(
            by,
            signal=match.signal,
            organisation=organisation,
            action=AccessLogEntry.Action.EXPORT,
            purpose=_request_purpose(reference, purpose),
            detail=f"data-subject export, found by {', '.join(sorted(match.kinds()))}",
        )
    return data


def _describing_fields() -> list[Field]:
    """The fields of a person that describe them, personal whether encrypted or not: every field
    typed in (not its keys, its signal or its derived blind indexes) but what the row keeps."""
    return [
        field
        for field in Person._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and not field.is_relation
        and field.name not in PERSON_KEEPS
    ]


def _has_personal_data(person: Person) -> bool:
    return (
        any(getattr(person, f.attname) != f.get_default() for f in _describing_fields())
        or person.phone_numbers.exists()
    )


def _clear_person(person: Person) -> None:
    person.phone_numbers.all().delete()
    for field in _describing_fields():
        setattr(person, field.attname, field.get_default())
    # The blind indexes (name, e-mail, address, identity) are derived on save: they empty too.
    person.save()


def _reporter_has_data(signal: Signal) -> bool:
    return (
        any(getattr(signal, field) for field in REPORTER_FIELDS_TO_CLEAR)
        or signal.receipt_lookup is not None
        or signal.messages.exists()
        or NewsNotice.objects.filter(signal=signal).exists()
        or (signal.source == Signal.Source.PUBLIC and signal.attachments.exists())
    )


def _clear_reporter(signal: Signal) -> None:
    """Clear the reporter's data on the (locked) signal; the caller saves it. The conversation
    goes with the machine translations of its messages, and the address for notices."""
    for field in REPORTER_FIELDS_TO_CLEAR:
        setattr(signal, field, "")
    signal.receipt_lookup = None
    signal.machine_translations.filter(source__startswith="message:").delete()
    signal.messages.all().delete()
    NewsNotice.objects.filter(signal=signal).delete()
    if signal.source == Signal.Source.PUBLIC:
        delete_attachments(signal)


def _without_names(text: str, names: set[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        # Not \b: a name may start or end with a non-word character ("Jan B.").
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", ERASED_NAME, text, flags=re.IGNORECASE)
    return text


def _erase_names_from_free_text(signal: Signal, names: set[str]) -> None:
    """The names are replaced wherever they are written in the personal fields of the (locked)
    signal and its related rows; the caller saves the signal."""
    if not names:
        return

    def scrubbed(field: Field, value: Any) -> Any:
        if isinstance(value, dict):  # a history entry's detail
            return {
                key: _without_names(text, names) if isinstance(text, str) else text
                for key, text in value.items()
            }
        return _without_names(value, names)

    rewrite_personal_data(signal, scrubbed)


def _drop_unfounded_connections(signal: Signal) -> None:
    """Connections whose identifier the signal no longer holds go, in both directions: also
    possible connections, and confirmed ones, whose name key it no longer holds."""
    possible = possible_identifiers(signal)
    remaining = signal_identifiers(signal) | {
        (Connection.Kind.CONFIRMED, value) for _kind, value in possible
    }
    for row in PossibleConnection.objects.filter(signal=signal):
        if (row.kind, row.value) not in possible:
            PossibleConnection.objects.filter(
                signal_id__in=[signal.pk, row.other_id], other_id__in=[signal.pk, row.other_id]
            ).delete()
    for connection in Connection.objects.filter(signal=signal):
        if (connection.kind, connection.value) not in remaining:
            Connection.objects.filter(
                signal_id__in=[signal.pk, connection.other_id],
                other_id__in=[signal.pk, connection.other_id],
                kind=connection.kind,
                value=connection.value,
            ).delete()


def erase_subject(
    match: SubjectMatch, *, by: User, organisation: Organisation, reference: str, reason: str
) -> bool:
    """Erase the subject's personal data from one signal the organisation is controller of (the
    match comes from `find_subject`, which finds nothing else; see the module's docstring). A
    history entry without personal data and an access-log entry for each controller record it.
    False when nothing was left to erase, so that a second erasure changes and records nothing."""
    with transaction.atomic():
        signal = Signal.objects.select_for_update(of=("self",)).get(pk=match.signal.pk)
        persons = list(
            Person.objects.select_for_update()
            .filter(signal=signal, pk__in=[matched.person.pk for matched in match.persons])
            .order_by("pk")
        )
        persons = [person for person in persons if _has_personal_data(person)]
        as_reporter = match.is_reporter and _reporter_has_data(signal)
        if not persons and not as_reporter:
            return False
        names = {person.name for person in persons if person.name}
        if as_reporter and signal.contact_name:
            names.add(signal.contact_name)
        for person in persons:
            _clear_person(person)
        if as_reporter:
            _clear_reporter(signal)
        _erase_names_from_free_text(signal, names)
        signal.save()
        _drop_unfounded_connections(signal)
        records = (["reporter"] if as_reporter else []) + ["person"] * len(persons)
        DestructionRecord.objects.create(
            signal=signal,
            removed_at=timezone.now(),
            grounds=DestructionRecord.Grounds.ERASURE,
            status=signal.status,
            removed={"reporter": int(as_reporter), "persons": len(persons)},
        )
        SignalEvent.objects.create(
            signal=signal,
            kind=SignalEvent.Kind.PERSONAL_DATA_ERASED,
            actor=by,
            detail={"records": records, "request_reference": reference},
        )
        _log_for_every_controller(
            by,
            signal=signal,
            organisation=organisation,
            action=AccessLogEntry.Action.ERASE,
            purpose=reference,
            detail=reason,
        )
    return True
