from django import template
from django.utils.translation import gettext

from coordination.selectors import short_reference
from signals.models import Signal

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
