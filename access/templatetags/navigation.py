"""The professional menu (templates/pro/base.html): `{% professional_menu user as menu %}` once
per page, then `menu.regional_queue`, `menu.monitor`, ... decide the links."""

from django import template

from access import roles

register = template.Library()


@register.simple_tag
def professional_menu(user) -> roles.ProfessionalMenu:
    return roles.professional_menu(user)
