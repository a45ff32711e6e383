"""Every language's catalog is complete for the public pages; Dutch is complete everywhere.

The source strings are English. Public visitors read the portal in any of the languages, so an
entry used by a public page must be translated (and not fuzzy) in every catalog. Professionals
work in Dutch (the default), so the Dutch catalog must be complete for every entry.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

ROOT = Path(settings.BASE_DIR)
SOURCE_LANGUAGE = "en"
# Where the public pages' strings come from (paths as the catalogs' "#:" references give them).
PUBLIC_SOURCES = (
    "templates/base.html",
    "templates/public/",
    "templates/service_unavailable.html",
    "content/",
    "intake/public/",
    "intake/uploads.py",
    "intake/antivirus.py",
    "signals/receipts.py",
    "meldpunt/core/errors.py",
    "coordination/phrasebook.py",
)


def _catalog(language: str) -> polib.POFile:
    path = ROOT / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"no catalog for {language}: run 'make messages'"
    return polib.pofile(str(path))


def _is_public(entry: polib.POEntry) -> bool:
    return any(source.startswith(PUBLIC_SOURCES) for source, _line in entry.occurrences)


def _missing(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not all(entry.msgstr_plural.values())
    return not entry.msgstr


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_public_strings_are_translated(language):
    entries = [entry for entry in _catalog(language) if not entry.obsolete]
    public = [entry for entry in entries if _is_public(entry)]
    assert len(public) > 100, "the public pages' strings are missing from the catalog"
    missing = [entry.msgid for entry in public if _missing(entry)]
    assert missing == [], f"{language}: {len(missing)} public entries untranslated or fuzzy"


def test_dutch_is_complete_for_professionals_too():
    missing = [entry.msgid for entry in _catalog("nl") if not entry.obsolete and _missing(entry)]
    assert missing == []


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_translations_keep_their_placeholders(language):
    """A lost %(name)s would show a broken sentence or raise where the page is shown."""
    for entry in _catalog(language).translated_entries():
        if entry.msgid_plural:
            continue  # a plural's singular form may leave the number out
        lost = set(PLACEHOLDER.findall(entry.msgid)) - set(PLACEHOLDER.findall(entry.msgstr))
        assert not lost, f"{language}: {entry.msgid!r} lost {lost}"


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_the_compiled_catalog_is_up_to_date(language):
    """The committed .mo files are what Django reads: they must hold what the .po files say."""
    catalog = _catalog(language)
    compiled = polib.mofile(str(Path(catalog.fpath).with_suffix(".mo")))
    # By context and text: the same English text may be translated apart in another context.
    wanted = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in catalog.translated_entries()}
    have = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in compiled if entry.msgid}
    assert {key: have.get(key) for key in wanted} == wanted
