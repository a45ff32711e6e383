from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import ContentPage, HelpContact


@admin.register(ContentPage)
class ContentPageAdmin(TranslationAdmin):
    list_display = ["title", "slug", "order", "is_published"]
    list_filter = ["is_published"]
    prepopulated_fields = {"slug": ("title",)}


@admin.register(HelpContact)
class HelpContactAdmin(TranslationAdmin):
    list_display = ["name", "region", "phone", "order", "is_published"]
    list_filter = ["is_published", "region"]
