from django import template

from access.roles import is_organisation_admin

register = template.Library()


@register.filter
def administers_organisation(user) -> bool:
    """For the menu: the user is an organisation admin somewhere, so may manage API keys."""
    return is_organisation_admin(user)
