from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def hours(value: timedelta | None) -> str:
    """A waiting time in hours; fewer than five signals give no figure (shown as "<5")."""
    if value is None:
        return _("fewer than 5 signals")
    return _("%(hours).1f hours") % {"hours": value.total_seconds() / 3600}
