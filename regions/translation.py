"""Area names in every language of the portal (django-modeltranslation); without a translation
the Dutch name shows."""

from modeltranslation.translator import TranslationOptions, register

from .models import Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)
