"""Template helpers for the shared page frame (templates/base.html)."""

from functools import lru_cache
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info

from meldpunt.core.text import neutralise_bidi

register = template.Library()


@register.simple_tag(takes_context=True)
def language_choices(context) -> dict:
    """Each language named in itself, with a link to this page in it.

    Pages without a language prefix (professional pages) cannot be linked per language; for them
    `use_form` is true and the template posts to Django's set_language view instead. An error
    page sets `language_switch_path` (its start page): the address that failed is not repeated.
    """
    request = context.get("request")
    path = context.get("language_switch_path") or (request.path if request is not None else "/")
    return _language_choices(path, get_language())


# Reversing the page in every language costs about a millisecond, on every public page; the
# answer depends only on the path and the language it is read in (the URLs do not change while
# a process runs), so it is kept per process for the most recent paths.
@lru_cache(maxsize=2048)
def _language_choices(path: str, current: str) -> dict:
    choices = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        choices.append(
            {
                "code": code,
                # Some local names are lower case in Django ("polski"); a menu item starts upper.
                "name": capfirst(info["name_local"]),
                "url": translate_url(path, code),
                "bidi": info["bidi"],
                "current": code == current,
            }
        )
    use_form = all(choice["url"] == path for choice in choices)
    return {"choices": choices, "use_form": use_form, "next": path}


@register.filter
def website_host(url: str) -> str:
    """A website shown as text ("www.comensha.nl"): public pages link to no other site."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


@register.filter
def bidi_safe(text) -> str:
    """Text a person wrote, with its bidirectional controls neutralised (meldpunt.core.text).
    Not marked safe: autoescaping still applies, and filters such as linebreaksbr may follow."""
    return neutralise_bidi(text)
