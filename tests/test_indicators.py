"""The signal lists per form of exploitation: every form of the directive, a help text for every
indicator in every language, split indicators keep their ticks, and the general signs on the
public pages."""

import html
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from content.services import load_content
from signals.models import ExploitationForm, Indicator, IndicatorCategory
from tests.factories import SignalFactory

pytestmark = pytest.mark.django_db

GENERAL = ["no-id-papers", "spoken-for", "fear", "violence", "no-contact"]


def test_every_indicator_has_a_help_text_in_every_language():
    load_content()

    missing = [
        (indicator.code, language)
        for indicator in Indicator.objects.all()
        for language, _name in settings.LANGUAGES
        if not getattr(indicator, build_localized_fieldname("help_text", language)).strip()
    ]
    assert Indicator.objects.count() > 30
    assert missing == []


def test_the_forms_of_the_directive_each_have_their_own_indicators():
    load_content()

    for code in ("sexual", "labour", "criminal", "organ-removal", "online", "forced-begging"):
        form = ExploitationForm.objects.get(code=code)
        assert form.indicators.exists(), code
    assert ExploitationForm.objects.get(code="forced-marriage").indicators.count() == 2
    minors = set(Indicator.objects.filter(category__code="minors").values_list("code", flat=True))
    assert {"runs-away", "truancy", "grooming", "sextortion", "unaccompanied-missing"} <= minors
    with translation.override("nl"):
        assert "cadeaus" in Indicator.objects.get(code="older-boyfriend").name


def test_a_split_indicator_leaves_its_parts_ticked_on_existing_signals():
    # A database from before the split: the bundled indicator, ticked on a signal.
    conditions = IndicatorCategory.objects.create(code="conditions", name="Omstandigheden")
    bundled = Indicator.objects.create(
        code="poor-pay-hours", category=conditions, name="Laag loon, lange dagen, gevaarlijk"
    )
    ticked, other = SignalFactory(), SignalFactory()
    ticked.indicators.add(bundled)

    load_content()
    load_content()  # loading again changes nothing

    assert not Indicator.objects.filter(code="poor-pay-hours").exists()
    assert set(ticked.indicators.values_list("code", flat=True)) == {
        "low-pay",
        "excessive-hours",
        "dangerous-work",
    }
    assert not other.indicators.exists()


def _at_the_signs_step(language: str, kinds: list[int]) -> str:
    reporter = Client(REMOTE_ADDR=f"2001:db8::{uuid.uuid4().hex[:4]}")
    report = f"/{language}/report/"
    reporter.post(report, {"step": "what", "action": "next", "description": "Zij is bang."})
    for step in ("where", "when", "who", "involved"):
        reporter.post(report, {"step": step, "action": "next"})
    reporter.post(report, {"step": "kind", "action": "next", "kinds": kinds})
    return html.unescape(reporter.get(report).content.decode())


def test_the_signs_step_asks_the_general_signs_and_those_of_the_chosen_form(reference_data):
    load_content()
    labour = ExploitationForm.objects.get(code="labour")

    page = _at_the_signs_step("en", [labour.pk])

    with translation.override("en"):
        for code in [*GENERAL, "low-pay"]:
            assert Indicator.objects.get(code=code).public_text in page, code
        # Sexual exploitation was not chosen: its own signs are not asked.
        assert Indicator.objects.get(code="minor-sex-work").public_text not in page
        assert page.index(Indicator.objects.get(code="no-id-papers").public_text) < page.index(
            Indicator.objects.get(code="low-pay").public_text
        )


def test_the_signs_step_in_arabic_is_right_to_left_with_the_general_signs(reference_data):
    load_content()

    page = _at_the_signs_step("ar", [])

    assert 'dir="rtl"' in page
    with translation.override("ar"):
        for code in GENERAL:
            text = Indicator.objects.get(code=code).public_text
            assert text and text in page, code


def test_the_home_page_lists_the_general_signs_with_their_help(reference_data):
    load_content()

    page = html.unescape(Client().get("/en/").content.decode())

    assert "Signs in every form of exploitation" in page
    with translation.override("en"):
        papers = Indicator.objects.get(code="no-id-papers")
        assert papers.public_text in page and papers.help_text in page
