"""The domain model of signals (signalen): reports of possible human trafficking.

One module per part: the signal and its files (`signal`), its history (`history`), who and what it
is about (`parties`), what is written about it afterwards (`conversation`), the bridge between
languages (`language`), the procedures a coordinator tracks (`procedures`), the meldcode's steps
on a signal about a minor (`reporting_code`), how long it is kept (`retention`), and what it is
classified by (`taxonomy`).
"""

from .contact import ContactWishes
from .conversation import Addition, Message, NewsNotice, Question
from .history import SignalEvent
from .language import InterpreterRequest, MachineTranslation
from .parties import (
    NAME_MAX_LENGTH,
    BankAccount,
    Company,
    DutchAddress,
    Location,
    Person,
    PhoneNumber,
    Vehicle,
    Website,
)
from .procedures import PoliceHandover, ReflectionPeriod, ReportingDecision, ResidenceApplication
from .reporting_code import ReportingCodeStep
from .retention import RetentionHold
from .signal import DESCRIPTION_MAX_LENGTH, Attachment, Signal
from .taxonomy import ExploitationForm, Indicator, IndicatorCategory

__all__ = [
    "DESCRIPTION_MAX_LENGTH",
    "NAME_MAX_LENGTH",
    "Addition",
    "Attachment",
    "BankAccount",
    "Company",
    "ContactWishes",
    "DutchAddress",
    "ExploitationForm",
    "Indicator",
    "IndicatorCategory",
    "InterpreterRequest",
    "Location",
    "MachineTranslation",
    "Message",
    "NewsNotice",
    "Person",
    "PhoneNumber",
    "PoliceHandover",
    "Question",
    "ReflectionPeriod",
    "ReportingCodeStep",
    "ReportingDecision",
    "ResidenceApplication",
    "RetentionHold",
    "Signal",
    "SignalEvent",
    "Vehicle",
    "Website",
]
