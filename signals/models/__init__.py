"""The domain model of signals (signalen): reports of possible human trafficking.

One module per part: the signal and its files (`signal`), its history (`history`), who and what it
is about (`parties`), what is written about it afterwards (`conversation`), the meldcode's steps
on a signal about a minor (`reporting_code`), and what it is classified by (`taxonomy`).
"""

from .conversation import Addition, Message, Question
from .history import SignalEvent
from .parties import (
    NAME_MAX_LENGTH,
    BankAccount,
    DutchAddress,
    Location,
    Person,
    PhoneNumber,
    Vehicle,
    Website,
)
from .reporting_code import ReportingCodeStep
from .signal import DESCRIPTION_MAX_LENGTH, Attachment, Signal
from .taxonomy import ExploitationForm, Indicator, IndicatorCategory

__all__ = [
    "DESCRIPTION_MAX_LENGTH",
    "NAME_MAX_LENGTH",
    "Addition",
    "Attachment",
    "BankAccount",
    "DutchAddress",
    "ExploitationForm",
    "Indicator",
    "IndicatorCategory",
    "Location",
    "Message",
    "Person",
    "PhoneNumber",
    "Question",
    "ReportingCodeStep",
    "Signal",
    "SignalEvent",
    "Vehicle",
    "Website",
]
