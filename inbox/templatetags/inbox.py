from django import template

from inbox.selectors import unread_count as _unread_count

register = template.Library()


@register.simple_tag
def unread_count(user) -> int:
    """How many cases have news the user has not read: the count beside the menu's Inbox."""
    return _unread_count(user)
