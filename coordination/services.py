"""Case handling by a region's coordinators: status moves, assignment, notes, transfer, sharing.

Each change locks the signal row, checks the move, saves it and writes its history entry in the
same transaction, and appends to the access log.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from access.models import AccessLogEntry, Share
from access.permissions import TRIAGE
from access.selectors import can
from access.services import log_action, revoke_share, share_signal
from accounts.models import User
from inbox.models import UnreadMark
from inbox.services import handlers_of, mark_unread, organisation_members, submitter_of
from meldpunt.core.queueing import enqueue_all_on_commit
from organisations.models import Organisation
from regions.models import Region
from signals.models import (
    InterpreterRequest,
    Message,
    NewsNotice,
    Question,
    RetentionHold,
    Signal,
    SignalEvent,
)
from triage.services import reroute_signal

from . import phrasebook, translation, workflow
from .models import Connection, Note, PossibleConnection
from .selectors import (
    AUTHORITIES_OF_KIND,
    AUTHORITIES_OF_STATUS,
    acting_organisation,
    assignable_colleagues,
    possible_identifiers,
    short_reference,
    signal_identifiers,
    signals_possibly_sharing,
    signals_sharing,
    victim_wishes,
)

AGAINST_WISHES_FIELD = "against_wishes_reason"


def check_victim_wishes(signal: Signal, *, authorities: tuple[str, ...], reason: str) -> dict:
    """Refuse to involve an authority the possible victim does not want without a reason; the
    exceptions are a minor and danger now. What to record in the history: {} when the victim's
    wish is not set aside."""
    wishes = victim_wishes(signal)
    refused = wishes.refused(authorities)
    if not refused:
        return {}
    if wishes.needs_reason(authorities) and not reason.strip():
        raise ValidationError(
            {
                AGAINST_WISHES_FIELD: ValidationError(
                    _(
                        "The possible victim does not want this. Record why you act against "
                        "their wish."
                    ),
                    code="against_wishes",
                )
            }
        )
    return {
        "against_wishes": refused,
        "against_wishes_reason": reason.strip(),
        "against_wishes_exception": wishes.exception_code,
    }


def _locked(signal: Signal) -> Signal:
    return Signal.objects.select_for_update(of=("self",)).get(pk=signal.pk)


def move_signal(
    signal: Signal, *, by: User, to_status: str, reason: str, against_wishes_reason: str = ""
) -> Signal:
    """Move a signal to `to_status` if the workflow allows it from where it stands now. A
    referral to the police the possible victim does not want needs `against_wishes_reason`."""
    with transaction.atomic():
        signal = _locked(signal)
        _refuse_if_merged(signal)
        against = check_victim_wishes(
            signal,
            authorities=AUTHORITIES_OF_STATUS.get(to_status, ()),
            reason=against_wishes_reason,
        )
        if not workflow.is_allowed(signal.status, to_status):
            raise ValidationError(
                _("A signal that is “%(from)s” cannot move to “%(to)s”."),
                code="move_not_allowed",
                params={
                    "from": Signal.Status(signal.status).label,
                    "to": Signal.Status(to_status).label,
                },
            )
        from_status = signal.status
        signal.status = to_status
        signal.save(update_fields=["status", "updated_at"])
        SignalEvent.objects.create(
            signal=signal,
            kind=SignalEvent.Kind.STATUS_CHANGED,
            actor=by,
            detail={"from": from_status, "to": to_status, "reason": reason, **against},
        )
        log_action(
            by,
            signal=signal,
            action=AccessLogEntry.Action.STATUS,
            detail=f"{from_status} → {to_status}",
        )
    return signal


def assign_signal(signal: Signal, *, by: User, assignee: User | None) -> Signal:
    """Assign the signal to a coordinator colleague, or to nobody."""
    with transaction.atomic():
        signal = _locked(signal)
        if assignee is not None and not assignable_colleagues(by, signal).filter(pk=assignee.pk):
            raise ValidationError(
                _("You can only assign a signal to a coordinator of your own organisation."),
                code="not_a_colleague",
            )
        if signal.assigned_to_id == (assignee.pk if assignee else None):
            return signal
        signal.assigned_to = assignee
        signal.save(update_fields=["assigned_to", "updated_at"])
        SignalEvent.objects.create(
            signal=signal,
            kind=SignalEvent.Kind.ASSIGNED,
            actor=by,
            detail={"to": assignee.email if assignee else None},
        )
    return signal


def add_note(signal: Signal, *, by: User, body: str) -> Note:
    """An internal note for the coordinator's own organisation only."""
    organisation = acting_organisation(by, signal)
    if organisation is None:
        raise ValidationError(_("You do not handle this signal."), code="not_handling")
    return Note.objects.create(signal=signal, organisation=organisation, author=by, body=body)


def write_to_reporter(
    signal: Signal,
    *,
    by: User,
    body: str = "",
    language: str = phrasebook.COORDINATOR_LANGUAGE,
    phrase: str = "",
    phrase_params: dict | None = None,
    expects: str = phrasebook.Expects.NOTHING,
) -> Message:
    """A coordinator writes to the (anonymous) reporter: a standard phrase (which the reporter
    reads in their own language), a line of free text in `language`, or both. `expects` makes it
    a structured question: the follow-up page offers the reporter the answer asked for.

    A reporter who asked for notices is told, content-free, that there is news; when machine
    translation is on, the free text is translated into the reporter's language after the commit.
    Closing a case never closes this channel: a coordinator may write in any status.
    """
    params = _phrase_params(phrase, phrase_params or {})
    if not body.strip() and not phrase:
        raise ValidationError(
            _("Choose a standard phrase or write a message."), code="empty_message"
        )
    if expects not in phrasebook.Expects.ALL:
        raise ValidationError(_("Choose which answer you expect."), code="unknown_expectation")
    with transaction.atomic():
        message = Message.objects.create(
            signal=signal,
            author_kind=Message.Author.COORDINATOR,
            author=by,
            body=body.strip(),
            language=language,
            phrase=phrase,
            phrase_params=params,
            expects=expects,
        )
        NewsNotice.objects.filter(signal=signal, news_since__isnull=True).update(
            news_since=timezone.now()
        )
        enqueue_all_on_commit(translation.translation_tasks(signal))
    return message


def _phrase_params(phrase: str, given: dict) -> dict:
    """The codes of the words the phrase's placeholder takes, checked against its word list."""
    if not phrase:
        return {}
    chosen = phrasebook.PHRASES.get(phrase)
    if chosen is None:
        raise ValidationError(_("This standard phrase does not exist."), code="unknown_phrase")
    if not chosen.vocabulary:
        return {}
    word = given.get(chosen.vocabulary, "")
    if word not in phrasebook.VOCABULARIES[chosen.vocabulary]:
        raise ValidationError(
            _("This standard phrase needs a word from its own list: choose one."),
            code="phrase_word_missing",
        )
    return {chosen.vocabulary: word}


def record_interpreter_arranged(
    signal: Signal, *, request_id: uuid.UUID | str, by: User
) -> InterpreterRequest:
    """Record that the interpreter the reporter asked for was arranged, in the history too."""
    with transaction.atomic():
        request = (
            InterpreterRequest.objects.select_for_update()
            .filter(signal=signal, public_id=request_id)
            .first()
        )
        if request is None:
            raise ValidationError(_("There is no such interpreter request."), code="not_found")
        if request.arranged_at is not None:
            return request
        request.arranged_at = timezone.now()
        request.arranged_by = by
        request.save(update_fields=["arranged_at", "arranged_by"])
        SignalEvent.objects.create(
            signal=signal,
            kind=SignalEvent.Kind.INTERPRETER_ARRANGED,
            actor=by,
            detail={"language": request.language, "mode": request.mode},
        )
    return request


def transfer_signal(signal: Signal, *, by: User, region: Region, reason: str) -> bool:
    """Hand the signal to another region's coordinators ("the person moved").

    The sending organisation keeps nothing, or read access for `TRANSFER_SENDER_READ_DAYS` days,
    as the law allows and the setting says.
    """
    sender = acting_organisation(by, signal)
    with transaction.atomic():
        # Checked on the locked row: a merge landing meanwhile would otherwise be moved along.
        signal = _locked(signal)
        _refuse_if_merged(signal)
        if not reroute_signal(signal, region=region, by=by, reason=reason):
            raise ValidationError(_("The signal is already with this region."), code="same_region")
        Signal.objects.filter(pk=signal.pk).update(assigned_to=None)
        # The reason is in the (encrypted) history; the append-only log keeps no free text.
        log_action(
            by, signal=signal, action=AccessLogEntry.Action.TRANSFER, detail=f"→ {region.code}"
        )
        keep_days = min(settings.TRANSFER_SENDER_READ_DAYS, settings.SHARE_MAX_DAYS)
        if sender is not None and keep_days > 0:
            share_signal(
                signal,
                organisation=sender,
                by=by,
                legal_basis=Share.LegalBasis.PUBLIC_TASK,
                purpose=_("Read-only after transfer to %(region)s") % {"region": region.name},
                ends_on=timezone.localdate() + timedelta(days=keep_days),
            )
    return True


def share_with_organisation(
    signal: Signal,
    *,
    by: User,
    organisation: Organisation,
    legal_basis: str,
    purpose: str,
    ends_on: date,
    against_wishes_reason: str = "",
) -> Share:
    """Share with another organisation on a recorded legal basis, until `ends_on`: at most
    `SHARE_MAX_DAYS` ahead, so that every share is looked at again. Its members see the signal
    marked unread. Sharing with the police or the immigration authorities when the possible
    victim does not want them involved needs `against_wishes_reason` (check_victim_wishes)."""
    against = check_victim_wishes(
        signal,
        authorities=AUTHORITIES_OF_KIND.get(organisation.kind, ()),
        reason=against_wishes_reason,
    )
    today = timezone.localdate()
    if ends_on < today:
        raise ValidationError(
            {"ends_on": ValidationError(_("The end date must not be in the past."), code="ended")}
        )
    latest = today + timedelta(days=settings.SHARE_MAX_DAYS)
    if ends_on > latest:
        raise ValidationError(
            {
                "ends_on": ValidationError(
                    _(
                        "A share ends at the latest %(days)d days from today, on %(date)s. "
                        "Share again when that time is up and the purpose still needs it."
                    ),
                    code="too_long",
                    params={"days": settings.SHARE_MAX_DAYS, "date": date_format(latest)},
                )
            }
        )
    with transaction.atomic():
        share = share_signal(
            signal,
            organisation=organisation,
            by=by,
            legal_basis=legal_basis,
            purpose=purpose,
            ends_on=ends_on,
        )
        SignalEvent.objects.create(
            signal=signal,
            kind=SignalEvent.Kind.SHARED,
            actor=by,
            detail={
                "organisation": organisation.name,
                "legal_basis": legal_basis,
                "purpose": purpose,
                "ends_on": ends_on.isoformat(),
                **against,
            },
        )
        mark_unread(
            signal, event=UnreadMark.Event.SHARE_IN, people=organisation_members(organisation)
        )
    return share


def revoke_share_of(signal: Signal, *, share_id: uuid.UUID | str, by: User) -> Share:
    """End one of the signal's shares at once: the organisation loses its access with the next
    request. Logged in the access log and the signal's history. Revoking twice changes nothing."""
    try:
        share = signal.shares.select_related("organisation").get(public_id=share_id)
    except (Share.DoesNotExist, ValidationError, ValueError):
        raise ValidationError(_("This signal has no such share."), code="share_not_found") from None
    with transaction.atomic():
        if revoke_share(share, by=by):
            SignalEvent.objects.create(
                signal=signal,
                kind=SignalEvent.Kind.SHARE_REVOKED,
                actor=by,
                detail={"organisation": share.organisation.name},
            )
    share.refresh_from_db()
    return share


def link_signal(signal_id: int) -> int:
    """Connect a submitted signal with every other signal that shares an identifier.

    Idempotent: running it again adds nothing that exists. Returns the connections added.
    """
    signal = Signal.objects.filter(pk=signal_id).exclude(status=Signal.Status.DRAFT).first()
    if signal is None:
        return 0
    rows = []
    for kind, value in signal_identifiers(signal):
        for other_id in signals_sharing(kind, value, but=signal):
            rows.append(Connection(signal_id=signal.pk, other_id=other_id, kind=kind, value=value))
            rows.append(Connection(signal_id=other_id, other_id=signal.pk, kind=kind, value=value))
    with transaction.atomic():
        before = Connection.objects.filter(signal=signal).count()
        Connection.objects.bulk_create(rows, ignore_conflicts=True)
        added = Connection.objects.filter(signal=signal).count() - before
        # After the exact ones, so that a person already connected exactly is not proposed.
        PossibleConnection.objects.bulk_create(_possible_connections(signal), ignore_conflicts=True)
        Signal.objects.filter(pk=signal.pk).update(linked_at=timezone.now())
    return added


def _possible_connections(signal: Signal) -> list[PossibleConnection]:
    rows = []
    for kind, value in possible_identifiers(signal):
        for other_id in signals_possibly_sharing(kind, value, but=signal):
            for one, other in ((signal.pk, other_id), (other_id, signal.pk)):
                rows.append(
                    PossibleConnection(signal_id=one, other_id=other, kind=kind, value=value)
                )
    return rows


def decide_possible_connection(
    signal: Signal, *, review_id: uuid.UUID | str, by: User, confirm: bool
) -> int:
    """A coordinator of `signal` confirms or dismisses a possible connection: the decision holds
    for the pair, both directions and every kind. Confirmed, the pair gets a connection of kind
    "confirmed" (the name key as its value); nothing is merged. Returns the rows decided; a pair
    decided before is left as it was decided."""
    try:
        row = signal.possible_connections.get(public_id=review_id)
    except (PossibleConnection.DoesNotExist, ValidationError, ValueError):
        raise ValidationError(
            _("This signal has no such possible connection."), code="not_found"
        ) from None
    pair = [signal.pk, row.other_id]
    with transaction.atomic():
        rows = list(
            PossibleConnection.objects.select_for_update()
            .filter(signal_id__in=pair, other_id__in=pair, status=PossibleConnection.Status.OPEN)
            .order_by("pk")
        )
        status = (
            PossibleConnection.Status.CONFIRMED if confirm else PossibleConnection.Status.DISMISSED
        )
        now = timezone.now()
        PossibleConnection.objects.filter(pk__in=[r.pk for r in rows]).update(
            status=status, decided_by=by, decided_at=now
        )
        if confirm and rows:
            # One connection each way, on the first name key the pair was found by.
            first = {}
            for r in rows:
                first.setdefault((r.signal_id, r.other_id), r.value)
            Connection.objects.bulk_create(
                [
                    Connection(
                        signal_id=one, other_id=other, kind=Connection.Kind.CONFIRMED, value=value
                    )
                    for (one, other), value in first.items()
                ],
                ignore_conflicts=True,
            )
        log_action(
            by,
            signal=signal,
            action=AccessLogEntry.Action.CONNECTION,
            detail=f"{status} · {short_reference(row.other)}",
        )
    return len(rows)


def link_unlinked_signals(*, older_than_minutes: int = 3) -> int:
    """Queue linking again for submitted signals that were never linked (a broker outage),
    from every channel: public reports hold identifiers too (found in their words)."""
    from .tasks import link_signal as link_task

    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(
        Signal.objects.filter(linked_at__isnull=True, created_at__lt=cutoff)
        .exclude(status=Signal.Status.DRAFT)
        .values_list("pk", flat=True)[:1000]
    )
    for signal_id in ids:
        link_task.delay(signal_id)
    return len(ids)


def ask_submitter(signal: Signal, *, by: User, text: str) -> Question:
    """Ask the organisation that submitted the signal; its professionals answer on their page."""
    if signal.submitted_by_id is None:
        raise ValidationError(
            _("This signal did not come from an organisation; write to the reporter instead."),
            code="no_submitter",
        )
    with transaction.atomic():
        question = Question.objects.create(signal=signal, asked_by=by, text=text)
        mark_unread(signal, event=UnreadMark.Event.QUESTION, people=submitter_of(signal), but=by)
    return question


def answer_question(question: Question, *, by: User, answer: str) -> Question:
    """Answer once; an answer already given is not overwritten by a second submit."""
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.answered_at is not None:
            raise ValidationError(_("This question was already answered."), code="answered")
        question.answer = answer
        question.answered_by = by
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at"])
        # The coordinators, and the submitting professional when a colleague answered for them.
        signal = question.signal
        mark_unread(
            signal,
            event=UnreadMark.Event.ANSWER,
            people=[*handlers_of(signal), *submitter_of(signal)],
            but=by,
        )
    return question


def _refuse_if_merged(signal: Signal) -> None:
    if signal.merged_into_id is not None:
        raise ValidationError(
            _("This signal was merged into another one: handle that one, or split it off first."),
            code="merged",
        )


def merge_signals(kept: Signal, duplicate: Signal, *, by: User, reason: str) -> bool:
    """Mark `duplicate` as the same situation as `kept` (samenvoegen).

    Nothing is moved or deleted: the duplicate keeps its persons, identifiers, attachments,
    messages and connections, and only leaves the queue. Both rows are locked in primary-key
    order, so two merges of the same signal wait for each other and the second sees the first.
    Returns False when the duplicate was already merged into `kept` (a form sent twice).
    """
    if kept.pk == duplicate.pk:
        raise ValidationError(_("A signal cannot be merged with itself."), code="same_signal")
    with transaction.atomic():
        locked = {
            signal.pk: signal
            for signal in Signal.objects.select_for_update(of=("self",))
            .filter(pk__in=[kept.pk, duplicate.pk])
            .order_by("pk")
        }
        kept, duplicate = locked[kept.pk], locked[duplicate.pk]
        if not (can(by, TRIAGE, kept) and can(by, TRIAGE, duplicate)):
            raise ValidationError(
                _("There is no signal with this reference that you may handle."),
                code="not_found",
            )
        if duplicate.merged_into_id == kept.pk:
            return False
        if duplicate.merged_into_id is not None:
            raise ValidationError(
                _("That signal was already merged into another signal."), code="already_merged"
            )
        if kept.merged_into_id is not None:
            raise ValidationError(
                _("This signal is itself merged into another one; merge into that one instead."),
                code="kept_is_merged",
            )
        if Signal.objects.filter(merged_into=duplicate).exists():
            raise ValidationError(
                _(
                    "Other signals were merged into that signal. Merge this one into it instead, "
                    "or split those off first."
                ),
                code="has_duplicates",
            )
        if kept.status == Signal.Status.CLOSED:
            raise ValidationError(
                _("A closed signal takes no duplicates; reopen it first."), code="kept_closed"
            )
        duplicate.merged_into = kept
        duplicate.merged_at = timezone.now()
        duplicate.save(update_fields=["merged_into", "merged_at", "updated_at"])
        _record_merge(kept, duplicate, kind=SignalEvent.Kind.MERGED, by=by, reason=reason)
    return True


def split_signal(duplicate: Signal, *, by: User, reason: str) -> Signal:
    """Undo a merge: the duplicate is its own signal again, back in the queue in its status."""
    with transaction.atomic():
        duplicate = _locked(duplicate)
        if not can(by, TRIAGE, duplicate):
            raise ValidationError(
                _("There is no signal with this reference that you may handle."),
                code="not_found",
            )
        if duplicate.merged_into_id is None:
            raise ValidationError(
                _("This signal is not merged into another signal."), code="not_merged"
            )
        kept = duplicate.merged_into
        duplicate.merged_into = None
        duplicate.merged_at = None
        duplicate.save(update_fields=["merged_into", "merged_at", "updated_at"])
        _record_merge(kept, duplicate, kind=SignalEvent.Kind.SPLIT, by=by, reason=reason)
    return duplicate


def _record_merge(kept: Signal, duplicate: Signal, *, kind: str, by: User, reason: str) -> None:
    """The history of both signals, each naming the other, and the access log of both."""
    action = {
        SignalEvent.Kind.MERGED: AccessLogEntry.Action.MERGE,
        SignalEvent.Kind.SPLIT: AccessLogEntry.Action.SPLIT,
    }[kind]
    for signal, other, role in ((kept, duplicate, "kept"), (duplicate, kept, "duplicate")):
        SignalEvent.objects.create(
            signal=signal,
            kind=kind,
            actor=by,
            detail={
                "role": role,
                "other": str(other.public_id),
                "status": duplicate.status,
                "reason": reason,
            },
        )
        log_action(by, signal=signal, action=action, detail=f"{role}, other: {other.public_id}")


HOLD_MAX_YEARS = 10


def place_retention_hold(signal: Signal, *, by: User, reason: str, ends_on: date) -> RetentionHold:
    """Keep the signal's personal data past its retention period until `ends_on` (criminal
    proceedings, a pending claim): retention skips it until then, and takes it up again after."""
    today = timezone.localdate()
    if ends_on <= today:
        raise ValidationError(
            {"ends_on": ValidationError(_("The end date must be in the future."), code="ended")}
        )
    if ends_on > today.replace(year=today.year + HOLD_MAX_YEARS):
        raise ValidationError(
            {
                "ends_on": ValidationError(
                    _("A hold ends within %(years)d years; place a new one when it ends."),
                    code="too_long",
                    params={"years": HOLD_MAX_YEARS},
                )
            }
        )
    with transaction.atomic():
        signal = _locked(signal)
        if signal.anonymised_at is not None:
            raise ValidationError(
                _("The personal data of this signal was already removed."), code="anonymised"
            )
        hold = RetentionHold.objects.create(
            signal=signal, reason=reason, ends_on=ends_on, placed_by=by
        )
        SignalEvent.objects.create(
            signal=signal,
            kind=SignalEvent.Kind.RETENTION_HOLD,
            actor=by,
            detail={"ends_on": ends_on.isoformat(), "reason": reason},
        )
    return hold


def lift_retention_hold(signal: Signal, *, hold_id: uuid.UUID | str, by: User) -> RetentionHold:
    """End a hold before its date: the usual retention period applies again."""
    try:
        hold = signal.retention_holds.get(public_id=hold_id, lifted_at__isnull=True)
    except (RetentionHold.DoesNotExist, ValidationError, ValueError):
        raise ValidationError(_("This signal has no such hold."), code="not_found") from None
    with transaction.atomic():
        hold.lifted_at, hold.lifted_by = timezone.now(), by
        hold.save(update_fields=["lifted_at", "lifted_by"])
        SignalEvent.objects.create(
            signal=signal, kind=SignalEvent.Kind.RETENTION_HOLD_LIFTED, actor=by, detail={}
        )
    return hold
