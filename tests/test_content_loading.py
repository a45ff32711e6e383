"""`manage.py load_content`: the taxonomy and every language's texts, loaded again safely."""

import json

import pytest
from django.core.management import call_command
from django.utils import translation

from content.models import ContentPage
from content.services import PUBLIC_FILE, TAXONOMY_FILE, load_content
from signals.models import ExploitationForm, Indicator, IndicatorCategory

pytestmark = pytest.mark.django_db


def test_the_taxonomy_is_loaded_once_in_the_default_language_and_translated():
    structure = json.loads(TAXONOMY_FILE.read_text())
    first = load_content()

    assert ExploitationForm.objects.count() == len(structure["forms"])
    assert IndicatorCategory.objects.count() == len(structure["categories"])
    assert Indicator.objects.count() == len(structure["indicators"])
    public = json.loads(PUBLIC_FILE.read_text())
    assert first.created == sum(
        len(structure[part]) for part in ("forms", "categories", "indicators")
    ) + len(public["pages"]) + len(public["contacts"])
    labour = ExploitationForm.objects.get(code="labour")
    with translation.override("nl"):
        assert labour.name == "Arbeidsuitbuiting"
    with translation.override("en"):
        assert labour.name == "Labour exploitation"
    papers = Indicator.objects.get(code="no-id-papers")
    assert papers.is_public and papers.weight == 3 and papers.category.code == "freedom"
    assert set(Indicator.objects.get(code="minor-crime").forms.values_list("code", flat=True)) == {
        "criminal"
    }

    again = load_content()
    assert (again.created, again.texts) == (0, 0)


def test_texts_edited_in_the_admin_stay_unless_overwritten(capsys):
    load_content()
    page = ContentPage.objects.get(slug="what-is-human-trafficking")
    page.title_en = "Edited by the functional admin"
    page.save()

    call_command("load_content")
    page.refresh_from_db()
    assert page.title_en == "Edited by the functional admin"

    call_command("load_content", "--overwrite")
    page.refresh_from_db()
    assert page.title_en == "What is human trafficking?"
    assert "texts written" in capsys.readouterr().out
