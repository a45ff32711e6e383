"""The triage decision, table-driven: region, priority, track, deadline and rules in order."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from triage.rules import (
    HIGH,
    MINORS_TRACK,
    NORMAL,
    STANDARD_TRACK,
    URGENT,
    Coordinator,
    Coverage,
    Deadlines,
    Rule,
    SignalFacts,
    add_working_days,
    decide,
)

AMS = ZoneInfo("Europe/Amsterdam")
# A Wednesday in an ordinary week.
WEDNESDAY = datetime(2025, 3, 12, 10, 0, tzinfo=AMS)
FRIDAY = datetime(2025, 3, 14, 16, 0, tzinfo=AMS)
BEFORE_KINGSDAY = datetime(2025, 4, 25, 9, 0, tzinfo=AMS)  # Friday; 26/27 weekend+King's Day Sun

LABOUR_TO_VR17 = Rule(
    name="labour to Rotterdam", form_codes=frozenset({"labour"}), target_region_code="VR17"
)
SEXUAL_URGENT = Rule(
    name="sexual urgent", form_codes=frozenset({"sexual"}), priority_override=URGENT
)
MINOR_AMSTERDAM_TO_ORG = Rule(
    name="minors in Amsterdam", region_code="VR13", minor=True, target_organisation_id=42
)
POLICE_ONLY = Rule(
    name="police signals", source_organisation_kind="police", target_region_code="LD"
)
URGENT_ONLY = Rule(name="urgent to VR09", urgent=True, target_region_code="VR09")
MUNICIPALITY_RULE = Rule(name="Westland", municipality_code="GM1783", target_region_code="VR16")
NOT_MINOR_RULE = Rule(name="adults only", minor=False, priority_override=HIGH)

# Every area these cases route to has a coordinator organisation with an active coordinator; what
# happens where none has is tested in test_area_routing.py.
AREA_CODES = ["LD", "VR01", "VR09", "VR13", "VR16", "VR17", "VR25"]
EVERY_AREA_COVERED = Coverage(
    active={
        code: (Coordinator(number, f"Coordinators {code}"),)
        for number, code in enumerate(AREA_CODES, start=1)
    },
    served=frozenset(AREA_CODES),
    area_names={code: code for code in AREA_CODES},
)

CASES = [
    # id, facts, rules, region, priority, track, orgs
    (
        "municipality routes to its region",
        dict(region_code="VR13"),
        [],
        "VR13",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    ("no location goes to national desk", dict(), [], "LD", NORMAL, STANDARD_TRACK, ()),
    (
        "danger makes it urgent",
        dict(region_code="VR01", urgent=True),
        [],
        "VR01",
        URGENT,
        STANDARD_TRACK,
        (),
    ),
    (
        "a minor makes it high and youth track",
        dict(region_code="VR02", minor=True),
        [],
        "VR02",
        HIGH,
        MINORS_TRACK,
        (),
    ),
    (
        "danger and minor: urgent, youth track",
        dict(urgent=True, minor=True),
        [],
        "LD",
        URGENT,
        MINORS_TRACK,
        (),
    ),
    (
        "unknown minor is not a minor",
        dict(region_code="VR03", minor=None),
        [],
        "VR03",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "heavy indicators make it high",
        dict(region_code="VR04", indicator_weight=5),
        [],
        "VR04",
        HIGH,
        STANDARD_TRACK,
        (),
    ),
    (
        "light indicators stay normal",
        dict(region_code="VR04", indicator_weight=4),
        [],
        "VR04",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "sexual exploitation, no rule",
        dict(region_code="VR05", form_codes={"sexual"}),
        [],
        "VR05",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "labour exploitation, no rule",
        dict(region_code="VR06", form_codes={"labour"}),
        [],
        "VR06",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "criminal exploitation, no rule",
        dict(region_code="VR07", form_codes={"criminal"}),
        [],
        "VR07",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "organ removal, no rule",
        dict(form_codes={"organ_removal"}),
        [],
        "LD",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "unknown form, no rule",
        dict(region_code="VR08", form_codes={"unknown"}),
        [],
        "VR08",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "labour rule re-routes labour",
        dict(region_code="VR13", form_codes={"labour"}),
        [LABOUR_TO_VR17],
        "VR17",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "labour rule ignores sexual",
        dict(region_code="VR13", form_codes={"sexual"}),
        [LABOUR_TO_VR17],
        "VR13",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "a rule matches on any of its forms",
        dict(form_codes={"labour", "sexual"}),
        [LABOUR_TO_VR17],
        "VR17",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "priority override raises",
        dict(region_code="VR10", form_codes={"sexual"}),
        [SEXUAL_URGENT],
        "VR10",
        URGENT,
        STANDARD_TRACK,
        (),
    ),
    (
        "priority override can lower",
        dict(region_code="VR10", minor=True),
        [Rule(name="lower", priority_override=NORMAL)],
        "VR10",
        NORMAL,
        MINORS_TRACK,
        (),
    ),
    (
        "first matching rule wins",
        dict(region_code="VR13", form_codes={"labour", "sexual"}),
        [SEXUAL_URGENT, LABOUR_TO_VR17],
        "VR13",
        URGENT,
        STANDARD_TRACK,
        (),
    ),
    (
        "order matters the other way",
        dict(region_code="VR13", form_codes={"labour", "sexual"}),
        [LABOUR_TO_VR17, SEXUAL_URGENT],
        "VR17",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "region + minor rule adds an organisation",
        dict(region_code="VR13", minor=True),
        [MINOR_AMSTERDAM_TO_ORG],
        "VR13",
        HIGH,
        MINORS_TRACK,
        (42,),
    ),
    (
        "region + minor rule needs the minor",
        dict(region_code="VR13", minor=False),
        [MINOR_AMSTERDAM_TO_ORG],
        "VR13",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "region + minor rule needs the region",
        dict(region_code="VR14", minor=True),
        [MINOR_AMSTERDAM_TO_ORG],
        "VR14",
        HIGH,
        MINORS_TRACK,
        (),
    ),
    (
        "source kind rule",
        dict(region_code="VR15", source_organisation_kind="police"),
        [POLICE_ONLY],
        "LD",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "source kind rule ignores public",
        dict(region_code="VR15"),
        [POLICE_ONLY],
        "VR15",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "urgency rule",
        dict(region_code="VR16", urgent=True),
        [URGENT_ONLY],
        "VR09",
        URGENT,
        STANDARD_TRACK,
        (),
    ),
    (
        "urgency rule ignores calm",
        dict(region_code="VR16"),
        [URGENT_ONLY],
        "VR16",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "municipality rule",
        dict(region_code="VR15", municipality_code="GM1783"),
        [MUNICIPALITY_RULE],
        "VR16",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "municipality rule ignores others",
        dict(region_code="VR15", municipality_code="GM0518"),
        [MUNICIPALITY_RULE],
        "VR15",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
    (
        "minor=False rule matches unknown",
        dict(region_code="VR18"),
        [NOT_MINOR_RULE],
        "VR18",
        HIGH,
        STANDARD_TRACK,
        (),
    ),
    (
        "minor=False rule skips minors",
        dict(region_code="VR18", minor=True),
        [NOT_MINOR_RULE],
        "VR18",
        HIGH,
        MINORS_TRACK,
        (),
    ),
    (
        "a rule without conditions matches all",
        dict(),
        [Rule(name="all", target_region_code="VR25")],
        "VR25",
        NORMAL,
        STANDARD_TRACK,
        (),
    ),
]


@pytest.mark.parametrize(
    ("facts", "rules", "region", "priority", "track", "orgs"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_decision(facts, rules, region, priority, track, orgs):
    facts = {**facts, "form_codes": frozenset(facts.get("form_codes", ()))}
    decision = decide(
        SignalFacts(received_at=WEDNESDAY, **facts),
        rules,
        national_desk_code="LD",
        deadlines=Deadlines(),
        high_priority_weight=5,
        coverage=EVERY_AREA_COVERED,
    )
    assert (decision.region_code, decision.priority, decision.track, decision.organisation_ids) == (
        region,
        priority,
        track,
        orgs,
    )
    assert decision.reasons, "every decision explains itself"


@pytest.mark.parametrize(
    ("facts", "received", "deadline"),
    [
        (dict(urgent=True), WEDNESDAY, datetime(2025, 3, 12, 14, 0, tzinfo=AMS)),
        (dict(minor=True), WEDNESDAY, datetime(2025, 3, 13, 10, 0, tzinfo=AMS)),
        (dict(), WEDNESDAY, datetime(2025, 3, 17, 10, 0, tzinfo=AMS)),
        (dict(minor=True), FRIDAY, datetime(2025, 3, 17, 16, 0, tzinfo=AMS)),
        (dict(urgent=True), FRIDAY, datetime(2025, 3, 14, 20, 0, tzinfo=AMS)),
        (dict(minor=True), BEFORE_KINGSDAY, datetime(2025, 4, 28, 9, 0, tzinfo=AMS)),
    ],
    ids=[
        "urgent: 4 hours",
        "minor: 1 working day",
        "normal: 3 working days",
        "minor on Friday: Monday",
        "urgent counts weekend hours",
        "King's Day 2025 is a Sunday",
    ],
)
def test_deadline(facts, received, deadline):
    decision = decide(
        SignalFacts(received_at=received, **facts),
        [],
        national_desk_code="LD",
        deadlines=Deadlines(),
        high_priority_weight=5,
        coverage=EVERY_AREA_COVERED,
    )
    assert decision.deadline == deadline


def test_working_days_skip_dutch_public_holidays():
    christmas_eve = datetime(2025, 12, 24, 12, 0, tzinfo=AMS)  # Wednesday
    assert add_working_days(christmas_eve, 1) == datetime(2025, 12, 29, 12, 0, tzinfo=AMS)


def test_reasons_read_as_sentences():
    decision = decide(
        SignalFacts(received_at=WEDNESDAY, region_code="VR13", minor=True),
        [],
        national_desk_code="LD",
        deadlines=Deadlines(),
        high_priority_weight=5,
        coverage=EVERY_AREA_COVERED,
    )
    with translation.override("en"):
        reasons = [str(reason) for reason in decision.reasons]
    assert reasons == [
        "location in a Dutch municipality → area VR13",
        "minor involved → priority high",
        "minor involved → youth care track",
        "VR13 is coordinated by Coordinators VR13",
    ]
