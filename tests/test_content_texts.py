"""The public texts: one source each, corrections reach existing databases, admin edits stay,
every help-line number is sourced, and the Dutch speaks to the reader as "u"."""

import importlib
import json
import re
import shutil

import polib
import pytest
from django.apps import apps
from django.conf import settings

from content import services
from content.models import ContentPage, HelpContact, LoadedValue
from content.services import PUBLIC_FILE, TEXTS_DIR, load_content
from signals.models import Indicator
from tests.factories import HelpContactFactory

pytestmark = pytest.mark.django_db

SOURCES = PUBLIC_FILE.parent / "SOURCES.md"


@pytest.fixture
def texts(tmp_path, monkeypatch):
    """A copy of content/texts the test may change, as a translator would."""
    copy = tmp_path / "texts"
    shutil.copytree(TEXTS_DIR, copy)
    monkeypatch.setattr(services, "TEXTS_DIR", copy)

    def change(language: str, model: str, key: str, field: str, value: str) -> None:
        path = copy / f"{language}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data[model][key][field] = value
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    return change


def test_a_corrected_text_reaches_an_existing_database_and_an_admin_edit_stays(texts):
    load_content()
    page = ContentPage.objects.get(slug="after-you-report")
    page.summary_en = "Written by the functional admin."
    page.save()

    texts("en", "content.contentpage", "after-you-report", "title", "After your report")
    texts("en", "content.contentpage", "after-you-report", "summary", "A corrected summary.")
    texts("pl", "signals.indicator", "debt", "public_text", "Poprawiony tekst")
    result = load_content()

    page.refresh_from_db()
    assert page.title_en == "After your report"
    assert page.summary_en == "Written by the functional admin."
    assert Indicator.objects.get(code="debt").public_text_pl == "Poprawiony tekst"
    assert (result.texts, result.kept) == (2, 1)

    # Asked to, the files win over the admin.
    load_content(overwrite=True)
    page.refresh_from_db()
    assert page.summary_en == "A corrected summary."


def test_a_database_from_before_gets_the_corrected_texts_but_keeps_edits(db):
    """A database loaded by the old seed migration and loader: nothing remembers what they
    wrote, but the texts they shipped are known, so those are replaced and anything else is an
    edit of the admin's."""
    load_content()
    LoadedValue.objects.all().delete()
    page = ContentPage.objects.get(slug="after-you-report")
    # As the old seed migration wrote it: Dutch that says "je".
    page.title_nl = "Wat gebeurt er na je melding?"
    page.summary_nl = "Door de beheerder herschreven."
    page.save()
    contact = HelpContact.objects.get(code="comensha")
    contact.phone = ""
    contact.save()

    load_content()

    page.refresh_from_db()
    assert page.title_nl == "Wat gebeurt er na uw melding?"
    assert page.summary_nl == "Door de beheerder herschreven."
    contact.refresh_from_db()
    assert contact.phone == "033 448 11 86"


def test_the_seed_migration_of_old_contacts_is_found_again(db):
    """Contacts the old seed migration created get their code from migration 0003, so the
    loader updates them instead of adding a second copy."""
    migration = importlib.import_module(
        "content.migrations.0003_contact_codes_sources_and_loaded_values"
    )
    HelpContactFactory(name_nl="CoMensha", phone="")
    migration.give_seeded_contacts_their_code(apps, None)
    load_content()
    assert HelpContact.objects.filter(name_nl="CoMensha").count() == 1
    assert HelpContact.objects.get(name_nl="CoMensha").phone == "033 448 11 86"


def test_every_help_line_number_has_a_source_recorded_beside_it():
    structure = json.loads(PUBLIC_FILE.read_text(encoding="utf-8"))
    sources = SOURCES.read_text(encoding="utf-8")
    names = json.loads((TEXTS_DIR / "nl.json").read_text(encoding="utf-8"))["content.helpcontact"]
    expected = {
        "112": "112",
        "politie": "0900 8844",
        "meld-misdaad-anoniem": "0800 7000",
        "comensha": "033 448 11 86",
        "arbeidsinspectie": "0800 5151",
        "fairwork": "",
        "centrum-seksueel-geweld": "0800 0188",
        "kindertelefoon": "0800 0432",
        "veilig-thuis": "0800 2000",
        "slachtofferhulp": "0900 0101",
        "juridisch-loket": "0900 8020",
    }
    assert {item["code"]: item["phone"] for item in structure["contacts"]} == expected
    for item in structure["contacts"]:
        assert item["source"].startswith("https://"), item["code"]
        # The table in SOURCES.md names the contact, its number and the same source.
        row = next(
            line
            for line in sources.splitlines()
            if line.startswith(f"| {names[item['code']]['name']} |")
        )
        assert item["source"] in row, item["code"]
        if item["phone"]:
            assert f"| {item['phone']}" in row, item["code"]
        else:
            assert "left out" in row


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_contact_and_the_rights_page_have_texts_in_every_language(language):
    texts = json.loads((TEXTS_DIR / f"{language}.json").read_text(encoding="utf-8"))
    structure = json.loads(PUBLIC_FILE.read_text(encoding="utf-8"))
    for item in structure["contacts"]:
        assert texts["content.helpcontact"][item["code"]]["name"], (language, item["code"])
    rights = texts["content.contentpage"]["your-rights"]
    assert rights["title"] and rights["summary"]
    for subject in ("112", "B8", "CoMensha", "Slachtofferhulp Nederland"):
        assert subject in rights["body"], (language, subject)
    # Five rights: shelter, reflection period, residence permit, lawyer, compensation, and then
    # what happens next.
    assert rights["body"].count("\n## ") == 6, language
    minor = texts["signals.indicator"]["minor-sex-work"]
    assert "18" in minor["public_text"] and "18" in minor["self_text"]
    boyfriend = texts["signals.indicator"]["older-boyfriend"]["help_text"].lower()
    assert "pooierboy" in boyfriend and "loverboy" in boyfriend


JE = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)


def test_the_dutch_texts_say_u_throughout():
    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, str):
            yield value

    dutch = json.loads((TEXTS_DIR / "nl.json").read_text(encoding="utf-8"))
    assert [text for text in walk(dutch) if JE.search(text)] == []
    catalog = polib.pofile(str(settings.BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    assert [entry.msgstr for entry in catalog if JE.search(entry.msgstr)] == []
    # A child's sexual exploitation is not called work.
    assert "sekswerk" not in json.dumps(dutch["signals.indicator"], ensure_ascii=False)
    assert "loverboy" not in json.dumps(dutch, ensure_ascii=False).replace(
        "pooierboy (loverboy)", ""
    )
