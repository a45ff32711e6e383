"""The phrasebook (standaardzinnen): what a coordinator often has to say to a reporter, in every
language of the portal, and the quick replies a reporter answers with.

A message stores a phrase by its code, with the codes of the words its placeholder takes, never
the phrase's words: each reader reads it in their own language when the page is drawn (the
reporter in the language of their report, the coordinator in Dutch). The same holds for quick
replies. Codes are stable: a stored message keeps its meaning when a translation improves, so a
phrase is never renumbered or reused for another meaning; a phrase no longer wanted is left out
of `PHRASES` only once no message uses it.

A placeholder stands after a colon ("…about this: %(topic)s?"), so that every language can put a
word from the list there as it is, without case endings. Every text is in every catalogue
(tests/test_phrasebook.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The language in which coordinators read phrases and replies (as they read the indicators).
COORDINATOR_LANGUAGE = settings.LANGUAGE_CODE


class Expects:
    """What a message that asks something expects as answer (a structured question). The
    coordinator's words for these are in coordination.forms."""

    NOTHING = ""
    TEXT = "text"
    YES_NO = "yes_no"
    PHOTO = "photo"

    ALL = (NOTHING, TEXT, YES_NO, PHOTO)


@dataclass(frozen=True)
class Phrase:
    code: str
    text: Promise
    # The code of the word list its placeholder takes (VOCABULARIES), if it has one.
    vocabulary: str = ""
    # The answer it asks for, offered as the default when the coordinator picks it.
    expects: str = Expects.NOTHING


# By group, as the coordinator picks them (their titles are in coordination.forms).
GROUPS: list[tuple[str, list[Phrase]]] = [
    (
        "safety",
        [
            Phrase(
                "safe_now", pgettext_lazy("phrasebook", "Are you safe now?"), expects=Expects.YES_NO
            ),
            Phrase(
                "call_112",
                pgettext_lazy(
                    "phrasebook", "In an emergency, call 112. You can do that at any time."
                ),
            ),
            Phrase(
                "safe_to_write",
                pgettext_lazy("phrasebook", "Is it safe for you to receive messages here?"),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "phone_checked",
                pgettext_lazy(
                    "phrasebook", "Does someone else read your messages or check your phone?"
                ),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "quick_exit",
                pgettext_lazy(
                    "phrasebook",
                    "If someone comes, use the button at the top of the page to leave this "
                    "site quickly.",
                ),
            ),
            Phrase(
                "threatened",
                pgettext_lazy("phrasebook", "Has anyone threatened you or your family?"),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "doctor",
                pgettext_lazy("phrasebook", "Do you need a doctor?"),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "place_to_sleep",
                pgettext_lazy("phrasebook", "Do you need a safe place to sleep tonight?"),
                expects=Expects.YES_NO,
            ),
        ],
    ),
    (
        "contact",
        [
            Phrase(
                "may_we_call", pgettext_lazy("phrasebook", "May we call you? When is a good time?")
            ),
            Phrase(
                "safe_number",
                pgettext_lazy("phrasebook", "On which phone number can we call you safely?"),
                expects=Expects.TEXT,
            ),
            Phrase(
                "which_language",
                pgettext_lazy("phrasebook", "Which language do you speak?"),
                expects=Expects.TEXT,
            ),
            Phrase(
                "interpreter",
                pgettext_lazy(
                    "phrasebook", "We can arrange an interpreter for you. Would you like that?"
                ),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "meet",
                pgettext_lazy("phrasebook", "Would you like to meet a care coordinator in person?"),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "will_call",
                pgettext_lazy("phrasebook", "We will call you at the time you gave us."),
            ),
            Phrase(
                "not_reached",
                pgettext_lazy(
                    "phrasebook",
                    "We tried to call you but could not reach you. When can we try again?",
                ),
            ),
            Phrase(
                "come_back",
                pgettext_lazy(
                    "phrasebook",
                    "Please come back to this page in a few days. Use your receipt code.",
                ),
            ),
        ],
    ),
    (
        "situation",
        [
            Phrase(
                "where",
                pgettext_lazy("phrasebook", "Where is this? In which town or city?"),
                expects=Expects.TEXT,
            ),
            Phrase(
                "how_many",
                pgettext_lazy("phrasebook", "How many people are in this situation?"),
                expects=Expects.TEXT,
            ),
            Phrase(
                "child",
                pgettext_lazy("phrasebook", "Is a child involved, someone younger than 18?"),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "still_happening",
                pgettext_lazy("phrasebook", "Is this still happening?"),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "when", pgettext_lazy("phrasebook", "When did this happen?"), expects=Expects.TEXT
            ),
            Phrase(
                "tell_more",
                pgettext_lazy("phrasebook", "Can you tell us more about this: %(topic)s?"),
                vocabulary="topic",
                expects=Expects.TEXT,
            ),
            Phrase(
                "send_photo",
                pgettext_lazy("phrasebook", "Can you send us a photo or a copy of this: %(item)s?"),
                vocabulary="item",
                expects=Expects.PHOTO,
            ),
            Phrase(
                "own_papers",
                pgettext_lazy("phrasebook", "Do you have your own passport or identity card?"),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "paid",
                pgettext_lazy("phrasebook", "Do you get paid for your work?"),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "debt",
                pgettext_lazy(
                    "phrasebook", "Do you owe money to your employer or to someone else?"
                ),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "sleep_at_work",
                pgettext_lazy("phrasebook", "Do you live or sleep at the place where you work?"),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "free_to_leave",
                pgettext_lazy(
                    "phrasebook", "Can you leave your work or your home when you want to?"
                ),
                expects=Expects.YES_NO,
            ),
        ],
    ),
    (
        "help",
        [
            Phrase(
                "thanks",
                pgettext_lazy("phrasebook", "Thank you for your report. We are looking at it."),
            ),
            Phrase("read_it", pgettext_lazy("phrasebook", "We have read your message. Thank you.")),
            Phrase(
                "passed_on",
                pgettext_lazy("phrasebook", "We have passed your report on to: %(organisation)s."),
                vocabulary="organisation",
            ),
            Phrase(
                "agree_help",
                pgettext_lazy("phrasebook", "Would you like us to arrange help for you?"),
                expects=Expects.YES_NO,
            ),
            Phrase(
                "rights",
                pgettext_lazy(
                    "phrasebook", "You have rights in the Netherlands, also without papers."
                ),
            ),
            Phrase(
                "no_police",
                pgettext_lazy("phrasebook", "You can get help without going to the police."),
            ),
            Phrase(
                "free_help", pgettext_lazy("phrasebook", "Help and shelter are free of charge.")
            ),
            Phrase(
                "reflection",
                pgettext_lazy(
                    "phrasebook",
                    "You can get time to think before you decide whether to report to the police.",
                ),
            ),
            Phrase(
                "more_time",
                pgettext_lazy(
                    "phrasebook", "We need a little more time. We will write to you again soon."
                ),
            ),
            Phrase(
                "keep_code",
                pgettext_lazy(
                    "phrasebook", "Keep your receipt code safe. You need it to read our messages."
                ),
            ),
            Phrase(
                "anything_else",
                pgettext_lazy("phrasebook", "Is there anything else you want to tell us?"),
                expects=Expects.TEXT,
            ),
            Phrase(
                "still_here",
                pgettext_lazy(
                    "phrasebook",
                    "Our work on this report has ended, but you can always write to us here.",
                ),
            ),
        ],
    ),
]
PHRASES: dict[str, Phrase] = {phrase.code: phrase for _group, items in GROUPS for phrase in items}

# The words a placeholder takes, by list: code → text. A message stores the code.
VOCABULARIES: dict[str, dict[str, Promise]] = {
    "topic": {
        "place": pgettext_lazy("phrasebook topic", "the place where it happens"),
        "people": pgettext_lazy("phrasebook topic", "the people involved"),
        "work": pgettext_lazy("phrasebook topic", "the work"),
        "boss": pgettext_lazy("phrasebook topic", "the boss or the person in charge"),
        "housing": pgettext_lazy("phrasebook topic", "where the people sleep"),
        "money": pgettext_lazy("phrasebook topic", "money and debts"),
        "papers": pgettext_lazy("phrasebook topic", "passports and identity papers"),
        "transport": pgettext_lazy("phrasebook topic", "transport to and from the work"),
    },
    "item": {
        "workplace": pgettext_lazy("phrasebook item", "the workplace"),
        "advert": pgettext_lazy("phrasebook item", "the advertisement or job offer"),
        "contract": pgettext_lazy("phrasebook item", "a contract"),
        "payslip": pgettext_lazy("phrasebook item", "a payslip or bank statement"),
        "vehicle": pgettext_lazy("phrasebook item", "the vehicle and its licence plate"),
        "message": pgettext_lazy("phrasebook item", "a message you received"),
    },
    "organisation": {
        "police": pgettext_lazy("phrasebook organisation", "the police"),
        "shelter": pgettext_lazy("phrasebook organisation", "a shelter"),
        "youth_care": pgettext_lazy("phrasebook organisation", "youth care"),
        "labour_inspectorate": pgettext_lazy("phrasebook organisation", "the labour inspectorate"),
        "doctor": pgettext_lazy("phrasebook organisation", "a doctor"),
        "lawyer": pgettext_lazy("phrasebook organisation", "a lawyer"),
        "other_region": pgettext_lazy(
            "phrasebook organisation", "a care coordinator in another region"
        ),
    },
}


class Reply:
    """A reporter's quick reply, stored as its code; `CALL_TIME` and `PHONE` carry a value."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"
    CALL_TIME = "call_time"
    PHONE = "phone"

    # The one-click answers, as the buttons say them.
    ANSWERS = [(YES, _("Yes")), (NO, _("No")), (UNKNOWN, _("I don't know"))]
    LABELS = {
        **dict(ANSWERS),
        CALL_TIME: _("Call me at this time"),
        PHONE: _("My phone number"),
    }


CALL_TIMES = [
    ("morning", _("In the morning, from 9 to 12")),
    ("afternoon", _("In the afternoon, from 12 to 5 pm")),
    ("evening", _("In the evening, from 5 to 9 pm")),
    ("any", _("Any time")),
]


def phrase_text(code: str, params: dict | None, *, language: str) -> str:
    """The phrase in `language`, its placeholder filled with the chosen word in that language.
    "" for a code that is not (or no longer) in the phrasebook."""
    phrase = PHRASES.get(code)
    if phrase is None:
        return ""
    with translation.override(language):
        if not phrase.vocabulary:
            return str(phrase.text)
        words = VOCABULARIES[phrase.vocabulary]
        chosen = (params or {}).get(phrase.vocabulary, "")
        return str(phrase.text) % {phrase.vocabulary: str(words.get(chosen, "…"))}


def reply_text(code: str, value: str, *, language: str) -> str:
    """A quick reply in `language`: the answer, or what it says with its value ("Call me at this
    time: in the afternoon", "My phone number: +48…")."""
    label = Reply.LABELS.get(code)
    if label is None:
        return ""
    with translation.override(language):
        if code == Reply.CALL_TIME:
            value = str(dict(CALL_TIMES).get(value, value))
        if value:
            return f"{label}: {value}"
        return str(label)
