"""Translated public content (django-modeltranslation), in every language of the portal."""

from modeltranslation.translator import TranslationOptions, register

from .models import ContentPage, HelpContact


@register(ContentPage)
class ContentPageTranslation(TranslationOptions):
    fields = ("title", "summary", "body")


@register(HelpContact)
class HelpContactTranslation(TranslationOptions):
    fields = ("name", "description", "opening_hours")
