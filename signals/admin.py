from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import ExploitationForm, Indicator, IndicatorCategory


@admin.register(ExploitationForm)
class ExploitationFormAdmin(TranslationAdmin):
    list_display = ["name", "code", "order"]


@admin.register(IndicatorCategory)
class IndicatorCategoryAdmin(TranslationAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Indicator)
class IndicatorAdmin(TranslationAdmin):
    list_display = ["name", "code", "category", "is_public", "weight", "order"]
    list_filter = ["category", "is_public", "forms"]
    filter_horizontal = ["forms"]
