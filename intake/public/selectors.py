"""Reads for the public pages: what a reporter is told about their signal, which of the
coordinator's questions wait for an answer, what they asked for.

The texts are lazy translations, turned into words only when a page renders them, in the
language of that page (a dict of plain strings built at import would be in the default language,
Dutch, for everybody). Every public page in every language is rendered by
tests/test_public_translations.py to prove it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from signals.models import InterpreterRequest, Message, NewsNotice, Signal


@dataclass(frozen=True)
class PublicStatus:
    code: str
    # Where the report stands, in plain words.
    text: Promise
    # What will happen next, and what the reporter can do.
    next: Promise


PUBLIC_STATUS = {
    "received": PublicStatus(
        "received",
        _("Received. Someone will look at your report soon."),
        _(
            "A care coordinator for human trafficking reads your report, usually within a few "
            "working days; when someone is in danger, sooner. They may write to you here. Come "
            "back with your receipt code to read their messages."
        ),
    ),
    "handling": PublicStatus(
        "handling",
        _("Being handled. A care coordinator is working on it."),
        _(
            "The care coordinator makes sure that help and a safe place are offered, and may "
            "involve other organisations. If they have questions, they write to you here."
        ),
    ),
    "closed": PublicStatus(
        "closed",
        _("Closed. The work on this report has ended."),
        _(
            "Nothing more will happen with this report. Do you see something new, or is "
            "someone in danger? Send a new report, or call 112 in an emergency."
        ),
    ),
}
_HANDLING = {
    Signal.Status.IN_PROGRESS,
    Signal.Status.CARE_ARRANGED,
    Signal.Status.REFERRED_POLICE,
    Signal.Status.REFERRED_ELSEWHERE,
}
_CLOSED = {Signal.Status.NO_TRAFFICKING, Signal.Status.UNREACHABLE, Signal.Status.CLOSED}


def public_status(signal: Signal) -> PublicStatus:
    """Received, being handled or closed, with what happens next."""
    if signal.merged_into_id is not None:
        # A merged duplicate is handled as part of the signal it was merged into.
        signal = signal.merged_into
    if signal.status in _CLOSED:
        return PUBLIC_STATUS["closed"]
    if signal.status in _HANDLING:
        return PUBLIC_STATUS["handling"]
    return PUBLIC_STATUS["received"]


def open_questions(signal: Signal) -> dict[str, Message]:
    """The coordinator's structured questions the reporter has not answered, by public id."""
    answered = signal.messages.filter(in_reply_to__isnull=False).values("in_reply_to")
    questions = signal.messages.filter(author_kind=Message.Author.COORDINATOR).exclude(expects="")
    return {str(question.public_id): question for question in questions.exclude(pk__in=answered)}


def latest_interpreter_request(signal: Signal) -> InterpreterRequest | None:
    """The reporter's latest request for an interpreter, arranged or not."""
    return signal.interpreter_requests.order_by("-requested_at", "-pk").first()


def wants_news_notices(signal: Signal) -> bool:
    return NewsNotice.objects.filter(signal=signal).exists()
