"""Reads for the public pages: what a reporter is told about their signal."""

from django.utils.translation import gettext_lazy as _

from signals.models import Signal

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
