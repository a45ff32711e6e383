"""Translated content of the signals app (django-modeltranslation), in every language."""

from modeltranslation.translator import TranslationOptions, register

from .models import ExploitationForm, Indicator, IndicatorCategory


@register(ExploitationForm)
class ExploitationFormTranslation(TranslationOptions):
    fields = ("name", "description", "examples")


@register(IndicatorCategory)
class IndicatorCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "public_text", "self_text", "help_text")
