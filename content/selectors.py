"""Reads of public content for the public pages."""

from django.db.models import Prefetch, QuerySet

from regions.models import Region
from regions.selectors import coordinator_areas
from signals import selectors as signal_selectors
from signals.models import ExploitationForm, Indicator

from .models import ContentPage, HelpContact


def published_pages() -> QuerySet[ContentPage]:
    return ContentPage.objects.filter(is_published=True)


def published_page(slug: str) -> ContentPage | None:
    return published_pages().filter(slug=slug).first()


# The page that tells a possible victim their rights (bedenktijd, residence permit, lawyer,
# compensation, shelter); loaded by load_content in every language.
RIGHTS_PAGE = "your-rights"


def rights_page() -> ContentPage | None:
    return published_page(RIGHTS_PAGE)


def national_contacts() -> QuerySet[HelpContact]:
    return HelpContact.objects.filter(is_published=True, region__isnull=True)


def region_contacts(region: Region) -> QuerySet[HelpContact]:
    return HelpContact.objects.filter(is_published=True, region=region)


def help_regions() -> QuerySet[Region]:
    """Areas a visitor can pick on the help page: active coordinator areas, not the national
    desk."""
    return coordinator_areas()


def help_region(code: str) -> Region | None:
    return help_regions().filter(code=code).first()


def general_signs() -> QuerySet[Indicator]:
    """Signs of every form of exploitation, shown on the home page before the forms."""
    return signal_selectors.general_public_indicators()


def exploitation_forms_with_examples() -> QuerySet[ExploitationForm]:
    """Forms of exploitation with their public indicators, explained on the home page."""
    public_indicators = Indicator.objects.filter(is_public=True)
    return ExploitationForm.objects.prefetch_related(
        Prefetch("indicators", queryset=public_indicators, to_attr="public_indicators")
    )
