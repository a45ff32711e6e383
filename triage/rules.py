"""The triage decision: region, priority, track and deadline of a signal, with the reasons.

A plain function of the signal's facts and the rules, with no I/O of its own, so that it can be
tested on its own and explained to a coordinator. This module is the one place routing is decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import holidays
from django.utils.translation import gettext, gettext_noop

from signals.models import Signal

URGENT, HIGH, NORMAL = Signal.Priority.URGENT, Signal.Priority.HIGH, Signal.Priority.NORMAL
STANDARD_TRACK, MINORS_TRACK = Signal.Track.STANDARD, Signal.Track.MINORS


@dataclass(frozen=True)
class SignalFacts:
    """What triage needs to know about a signal."""

    received_at: datetime
    region_code: str | None = None
    municipality_code: str | None = None
    form_codes: frozenset[str] = frozenset()
    minor: bool | None = None
    urgent: bool = False
    source_organisation_kind: str = ""
    indicator_weight: int = 0


@dataclass(frozen=True)
class Rule:
    """A routing rule as data. `None` or empty conditions match anything."""

    name: str
    form_codes: frozenset[str] = frozenset()
    region_code: str | None = None
    municipality_code: str | None = None
    minor: bool | None = None
    urgent: bool | None = None
    source_organisation_kind: str = ""
    target_region_code: str | None = None
    target_organisation_id: int | None = None
    priority_override: int | None = None

    def matches(self, facts: SignalFacts) -> bool:
        return (
            (not self.form_codes or bool(self.form_codes & facts.form_codes))
            and (self.region_code is None or self.region_code == facts.region_code)
            and (
                self.municipality_code is None or self.municipality_code == facts.municipality_code
            )
            and (self.minor is None or self.minor == bool(facts.minor))
            and (self.urgent is None or self.urgent == facts.urgent)
            and (
                not self.source_organisation_kind
                or self.source_organisation_kind == facts.source_organisation_kind
            )
        )


@dataclass(frozen=True)
class Deadlines:
    """How long a coordinator has to look at a signal, per priority."""

    urgent_hours: int = 4
    high_working_days: int = 1
    normal_working_days: int = 3


@dataclass(frozen=True)
class Reason:
    """A reason as an untranslated message with parameters, read in each reader's language."""

    message: str
    params: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"message": self.message, "params": self.params}

    def __str__(self) -> str:
        return gettext(self.message) % self.params


@dataclass(frozen=True)
class Decision:
    region_code: str
    priority: int
    track: str
    deadline: datetime
    reasons: tuple[Reason, ...]
    organisation_ids: tuple[int, ...] = ()


def add_working_days(start: datetime, days: int) -> datetime:
    """`start` plus `days` Dutch working days (no weekends, no public holidays)."""
    dutch_holidays = holidays.country_holidays("NL", years=range(start.year, start.year + 2))
    moment = start
    added = 0
    while added < days:
        moment += timedelta(days=1)
        day: date = moment.date()
        if day.weekday() < 5 and day not in dutch_holidays:
            added += 1
    return moment


def decide(
    facts: SignalFacts,
    rules: list[Rule],
    *,
    national_desk_code: str,
    deadlines: Deadlines,
    high_priority_weight: int,
) -> Decision:
    reasons: list[Reason] = []

    if facts.region_code is not None:
        region_code = facts.region_code
        reasons.append(
            Reason(
                gettext_noop("location in a Dutch municipality → region %(region)s"),
                {"region": region_code},
            )
        )
    else:
        region_code = national_desk_code
        reasons.append(Reason(gettext_noop("no Dutch location → national desk")))

    if facts.urgent:
        priority = URGENT
        reasons.append(Reason(gettext_noop("someone is in danger now → priority urgent")))
    elif facts.minor:
        priority = HIGH
        reasons.append(Reason(gettext_noop("minor involved → priority high")))
    elif facts.indicator_weight >= high_priority_weight:
        priority = HIGH
        reasons.append(
            Reason(
                gettext_noop("indicators weigh %(weight)s (from %(threshold)s) → priority high"),
                {"weight": str(facts.indicator_weight), "threshold": str(high_priority_weight)},
            )
        )
    else:
        priority = NORMAL
        reasons.append(Reason(gettext_noop("no urgency, minor or heavy indicators → normal")))

    track = STANDARD_TRACK
    if facts.minor:
        track = MINORS_TRACK
        reasons.append(Reason(gettext_noop("minor involved → youth care track")))

    organisation_ids: tuple[int, ...] = ()
    rule = next((rule for rule in rules if rule.matches(facts)), None)
    if rule is not None:
        if rule.target_region_code is not None:
            region_code = rule.target_region_code
            reasons.append(
                Reason(
                    gettext_noop("rule “%(rule)s” → region %(region)s"),
                    {"rule": rule.name, "region": region_code},
                )
            )
        if rule.target_organisation_id is not None:
            organisation_ids = (rule.target_organisation_id,)
            reasons.append(
                Reason(
                    gettext_noop("rule “%(rule)s” → an organisation also gets access"),
                    {"rule": rule.name},
                )
            )
        if rule.priority_override is not None and rule.priority_override != priority:
            priority = rule.priority_override
            reasons.append(
                Reason(gettext_noop("rule “%(rule)s” → priority changed"), {"rule": rule.name})
            )

    if priority == URGENT:
        deadline = facts.received_at + timedelta(hours=deadlines.urgent_hours)
    elif priority == HIGH:
        deadline = add_working_days(facts.received_at, deadlines.high_working_days)
    else:
        deadline = add_working_days(facts.received_at, deadlines.normal_working_days)

    return Decision(
        region_code=region_code,
        priority=priority,
        track=track,
        deadline=deadline,
        reasons=tuple(reasons),
        organisation_ids=organisation_ids,
    )
