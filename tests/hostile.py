"""What the hostile-input tests (test_public_fuzz, test_pro_fuzz, test_reflection) share: the text
an attacker sends, the field names the forms post, and one Hypothesis profile.

Small example counts keep the fuzz tests fast; CI runs the same examples every time
(derandomize), local runs explore new ones.
"""

import os
import uuid

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY_STRINGS = [
    "",
    "\x00",
    "<script>alert(1)</script>",
    "'; DROP TABLE signals_signal; --",
    "../../etc/passwd",
    "9" * 40,
    "-1",
    "1e309",
    "NaN",
    "2026-02-30",
    "\u202e\u200f",
    "x" * 10_000,
    "x" * 20_000,
    str(uuid.uuid4()),
]


def hostile_text(max_size: int) -> st.SearchStrategy[str]:
    """Text as a browser could send it (any character but lone surrogates, which UTF-8 cannot
    carry) up to `max_size` characters, or one of the strings that broke forms before."""
    return st.one_of(
        st.text(st.characters(exclude_categories=["Cs"]), max_size=max_size),
        st.sampled_from(NASTY_STRINGS),
    )


# The public report's answers, as its steps post them.
REPORT_STEPS = [
    "what",
    "where",
    "when",
    "who",
    "involved",
    "kind",
    "signs",
    "danger",
    "photos",
    "contact",
    "check",
]
REPORT_FIELDS = [
    "description",
    "place",
    "municipality",
    "occurred_when",
    "people_count",
    "minor",
    "involved_phone",
    "involved_website",
    "involved_company",
    "kinds",
    "indicators",
    "danger",
    "contact",
    "name",
    "phone",
    "email",
    "consent",
    "remove",
    "receipt",
]

# Field names as the coordinator's case page posts them (each form has its prefix there), by the
# form's URL name in `coordination`.
CASE_PAGE_POSTS = {
    "move": ["to_status", "reason"],
    "assign": ["assignee"],
    "note": ["note-body"],
    "message": ["message-body", "message-language"],
    "question": ["question-text"],
    "transfer": ["transfer-region", "transfer-reason"],
    "share": ["share-organisation", "share-legal_basis", "share-purpose", "share-ends_on"],
    "reflection": [
        "reflection-offered_by",
        "reflection-starts_on",
        "reflection-outcome",
        "reflection-outcome_on",
    ],
    "residence_application": ["b8-applied_on", "b8-outcome", "b8-decided_on"],
    "reporting_decision": ["aangifte-decision", "aangifte-decided_on"],
    "police_handover": ["handover-handed_over_on", "handover-feedback", "handover-feedback_on"],
}
