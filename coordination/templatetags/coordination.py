from django import template
from django.utils.translation import gettext

from coordination.forms import EXPECTED_ANSWERS
from coordination.selectors import short_reference
from signals.models import MachineTranslation, Signal

register = template.Library()


@register.filter
def reason_text(reason: dict) -> str:
    """A triage reason stored untranslated (see triage.rules.Reason), in the reader's language."""
    try:
        return gettext(reason["message"]) % reason.get("params", {})
    except (KeyError, TypeError, ValueError):
        return str(reason.get("message", "")) if isinstance(reason, dict) else ""


@register.filter
def status_label(status: str) -> str:
    try:
        return Signal.Status(status).label
    except ValueError:
        return status


# The first characters of a signal's public id, which people read and type.
register.filter("short_reference", short_reference)


@register.filter
def translation_of(detail, text) -> str:
    """The machine translation into Dutch of one of the signal's texts, as the case file
    (coordination.selectors.CaseDetail) holds it: "description", "occurred_when", or an
    addition; "" when there is none."""
    source = text if isinstance(text, str) else MachineTranslation.source_of(text)
    return detail.translations.get(source, "")


@register.filter
def expected_answer(code: str) -> str:
    """What a structured question asks for, in the coordinator's words."""
    return str(dict(EXPECTED_ANSWERS).get(code, code))
