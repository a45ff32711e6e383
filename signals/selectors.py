"""Reads for the public pages: the form's choices, a signal by receipt code, its conversation."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from regions.models import Municipality

from . import receipts
from .models import ExploitationForm, Indicator, Message, Signal

# What a reporter is told about the status of their signal, in plain words.
PUBLIC_STATUS = {
    "received": _("Received. Someone will look at your report soon."),
    "handling": _("Being handled. A care coordinator is working on it."),
    "closed": _("Closed. The work on this report has ended."),
}
_HANDLING = {
    Signal.Status.IN_PROGRESS,
    Signal.Status.CARE_ARRANGED,
    Signal.Status.REFERRED_POLICE,
    Signal.Status.REFERRED_ELSEWHERE,
}
_CLOSED = {Signal.Status.NO_TRAFFICKING, Signal.Status.UNREACHABLE, Signal.Status.CLOSED}


def exploitation_forms() -> QuerySet[ExploitationForm]:
    return ExploitationForm.objects.all()


def public_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(is_public=True)


def municipality_names() -> list[str]:
    return list(Municipality.objects.order_by("name").values_list("name", flat=True))


def municipality_named(name: str) -> Municipality | None:
    """The municipality with this name, ignoring case and surrounding spaces."""
    return Municipality.objects.filter(name__iexact=name.strip()).first()


def signal_for_receipt(text: str) -> Signal | None:
    """The public signal whose receipt code was typed, or None. Costs a slow hash either way."""
    code = receipts.normalise(text)
    if code is None:
        return None
    signal = Signal.objects.filter(
        receipt_lookup=receipts.lookup_key(code), source=Signal.Source.PUBLIC
    ).first()
    if signal is None:
        receipts.waste_time(code)
        return None
    return signal if receipts.matches(code, signal.receipt_hash) else None


def public_status(signal: Signal) -> str:
    """received, handling or closed."""
    if signal.merged_into_id is not None:
        # A merged duplicate is handled as part of the signal it was merged into.
        signal = signal.merged_into
    if signal.status in _CLOSED:
        return "closed"
    if signal.status in _HANDLING:
        return "handling"
    return "received"


def conversation(signal: Signal) -> QuerySet[Message]:
    return signal.messages.all()
