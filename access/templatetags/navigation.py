"""The professional menu (templates/pro/base.html): `{% professional_menu user as menu %}` once
per page, then `menu.regional_queue`, `menu.monitor`, ... decide the links."""

from django import template

from access import roles
from meldpunt.core import memo

register = template.Library()


@register.simple_tag
def professional_menu(user) -> roles.ProfessionalMenu:
    """Once per request, however many templates ask (meldpunt.core.memo)."""
    return memo.memoised(("access.menu", user.pk), lambda: roles.professional_menu(user))
