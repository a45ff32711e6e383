from django import template

from organisations.selectors import administered_organisations

register = template.Library()


@register.filter
def administers_organisation(user) -> bool:
    """For the menu: the user is an organisation admin somewhere, so may manage API keys."""
    return user.is_authenticated and administered_organisations(user).exists()
