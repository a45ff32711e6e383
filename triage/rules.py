"""The triage decision: area, coordinators, priority, track and deadline of a signal, with the
reasons.

A plain function of the signal's facts, the rules and who coordinates which area, with no I/O of
its own, so that it can be tested on its own and explained to a coordinator. This module is the
one place routing is decided. Routing never ends at nobody: an area without a coordinator
organisation that has an active coordinator goes to the fallback (CoMensha, or the national desk
when the portal is set so), and the reasons say why in words.
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
    division_codes: frozenset[str] = frozenset()
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
    division_code: str | None = None
    minor: bool | None = None
    urgent: bool | None = None
    source_organisation_kind: str = ""
    target_region_code: str | None = None
    target_organisation_id: int | None = None
    priority_override: int | None = None
    # The area's organisations of these kinds get read access on `legal_basis`, for `access_days`
    # (youth care for minors: Veilig Thuis, a GI, the CKM).
    target_area_kinds: frozenset[str] = frozenset()
    legal_basis: str = ""
    access_days: int | None = None

    @property
    def routes(self) -> bool:
        """Whether it decides where the signal goes or how urgent it is (first match wins)."""
        return self.target_region_code is not None or self.priority_override is not None

    def matches(self, facts: SignalFacts) -> bool:
        return (
            (not self.form_codes or bool(self.form_codes & facts.form_codes))
            and (self.region_code is None or self.region_code == facts.region_code)
            and (
                self.municipality_code is None or self.municipality_code == facts.municipality_code
            )
            and (self.division_code is None or self.division_code in facts.division_codes)
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


FALLBACK_COMENSHA, FALLBACK_NATIONAL_DESK = "comensha", "national_desk"


@dataclass(frozen=True)
class Coordinator:
    """A coordinator organisation that has at least one active coordinator."""

    organisation_id: int
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Coverage:
    """Who can act on which area's signals right now (see triage.selectors.coverage).

    `active` holds, per area code, its coordinator organisations with an active coordinator;
    `served` the area codes that have any coordinator organisation at all; `fallback` the
    organisation that coordinates areas without one (CoMensha), `national_desk` the national
    desk's organisations, both only when they have an active coordinator.
    """

    active: dict[str, tuple[Coordinator, ...]]
    served: frozenset[str]
    area_names: dict[str, str]
    fallback: tuple[Coordinator, ...] = ()
    national_desk: tuple[Coordinator, ...] = ()
    fallback_setting: str = FALLBACK_COMENSHA

    def covers(self, area_code: str) -> bool:
        return bool(self.active.get(area_code))


@dataclass(frozen=True)
class AreaAccess:
    """A rule's grant to the area's organisations of some kinds: which rule, on which legal basis,
    for how many days. Who those organisations are is looked up when it is applied."""

    rule: str
    kinds: tuple[str, ...]
    legal_basis: str
    days: int | None


@dataclass(frozen=True)
class Decision:
    region_code: str
    priority: int
    track: str
    deadline: datetime
    reasons: tuple[Reason, ...]
    organisation_ids: tuple[int, ...] = ()
    coordinator_ids: tuple[int, ...] = ()
    fallback: bool = False
    area_access: tuple[AreaAccess, ...] = ()


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


# Reasons as triage wrote them into the history before the coordinator areas: old entries are
# read with these messages, so they stay in the catalogues.
LEGACY_REASONS = (
    gettext_noop("location in a Dutch municipality → region %(region)s"),
    gettext_noop("rule “%(rule)s” → region %(region)s"),
)

# Why an area's signals go to the fallback, and to whom: whole sentences, so that each can be
# translated as one.
_FALLBACK_REASONS = {
    (False, True): gettext_noop(
        "%(area)s has no coordinator organisation → %(coordinators)s coordinates it remotely"
    ),
    (True, True): gettext_noop(
        "%(area)s has no coordinator organisation with an active coordinator → "
        "%(coordinators)s coordinates it remotely"
    ),
    (False, False): gettext_noop(
        "%(area)s has no coordinator organisation, and neither CoMensha nor the national desk "
        "has an active coordinator → an alert for the national desk and the functional admin"
    ),
    (True, False): gettext_noop(
        "%(area)s has no coordinator organisation with an active coordinator, and neither "
        "CoMensha nor the national desk has an active coordinator → an alert for the national "
        "desk and the functional admin"
    ),
}


def coordinators_for(
    area_code: str, coverage: Coverage
) -> tuple[tuple[Coordinator, ...], bool, Reason]:
    """Who coordinates `area_code`'s signals: its own coordinator organisations with an active
    coordinator, else the fallback; with the reason in words and whether it fell back."""
    area = coverage.area_names.get(area_code, area_code)
    own = coverage.active.get(area_code, ())
    if own:
        return (
            own,
            False,
            Reason(
                gettext_noop("%(area)s is coordinated by %(coordinators)s"),
                {"area": area, "coordinators": _names(own)},
            ),
        )
    fallbacks = [coverage.fallback, coverage.national_desk]
    if coverage.fallback_setting == FALLBACK_NATIONAL_DESK:
        fallbacks.reverse()
    chosen = next((candidates for candidates in fallbacks if candidates), ())
    message = _FALLBACK_REASONS[area_code in coverage.served, bool(chosen)]
    params = {"area": area, "coordinators": _names(chosen)} if chosen else {"area": area}
    return chosen, True, Reason(message, params)


def _names(coordinators: tuple[Coordinator, ...]) -> str:
    return ", ".join(sorted(c.name for c in coordinators))


def decide(
    facts: SignalFacts,
    rules: list[Rule],
    *,
    national_desk_code: str,
    deadlines: Deadlines,
    high_priority_weight: int,
    coverage: Coverage,
) -> Decision:
    reasons: list[Reason] = []

    if facts.region_code is not None:
        region_code = facts.region_code
        reasons.append(
            Reason(
                gettext_noop("location in a Dutch municipality → area %(area)s"),
                {"area": coverage.area_names.get(region_code, region_code)},
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

    # Where it goes and how urgent: the first matching rule that decides either wins. Access adds
    # up: every matching rule's organisations get it, so that a rule for minors is never shadowed
    # by an earlier rule about, say, a form of exploitation.
    matching = [rule for rule in rules if rule.matches(facts)]
    organisation_ids: list[int] = []
    area_access: list[AreaAccess] = []
    for rule in matching:
        if rule.target_organisation_id is not None:
            organisation_ids.append(rule.target_organisation_id)
            reasons.append(
                Reason(
                    gettext_noop("rule “%(rule)s” → an organisation also gets access"),
                    {"rule": rule.name},
                )
            )
        if rule.target_area_kinds:
            area_access.append(
                AreaAccess(
                    rule=rule.name,
                    kinds=tuple(sorted(rule.target_area_kinds)),
                    legal_basis=rule.legal_basis,
                    days=rule.access_days,
                )
            )
            reasons.append(
                Reason(
                    gettext_noop(
                        "rule “%(rule)s” → the area's organisations it names get access, on a "
                        "recorded legal basis"
                    ),
                    {"rule": rule.name},
                )
            )
    rule = next((rule for rule in matching if rule.routes), None)
    if rule is not None:
        if rule.target_region_code is not None:
            region_code = rule.target_region_code
            reasons.append(
                Reason(
                    gettext_noop("rule “%(rule)s” → area %(area)s"),
                    {
                        "rule": rule.name,
                        "area": coverage.area_names.get(region_code, region_code),
                    },
                )
            )
        if rule.priority_override is not None and rule.priority_override != priority:
            priority = rule.priority_override
            reasons.append(
                Reason(gettext_noop("rule “%(rule)s” → priority changed"), {"rule": rule.name})
            )

    coordinators, fallback, reason = coordinators_for(region_code, coverage)
    reasons.append(reason)

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
        organisation_ids=tuple(dict.fromkeys(organisation_ids)),
        coordinator_ids=tuple(c.organisation_id for c in coordinators),
        fallback=fallback,
        area_access=tuple(area_access),
    )
