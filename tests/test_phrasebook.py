"""The phrasebook (coordination.phrasebook) is complete in every language of the portal: each
standard phrase, each word its placeholder takes and each quick reply is translated, not fuzzy,
with its placeholder kept, and reads as the reporter's own language, not as English."""

import re

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale

from coordination import phrasebook

ROOT = settings.BASE_DIR
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _texts() -> list:
    """Every text of the phrasebook (lazy translations), words and replies included."""
    texts = [phrase.text for phrase in phrasebook.PHRASES.values()]
    texts += [word for words in phrasebook.VOCABULARIES.values() for word in words.values()]
    texts += list(phrasebook.Reply.LABELS.values())
    texts += [label for _code, label in phrasebook.CALL_TIMES]
    return texts


def _source(text) -> tuple[str | None, str]:
    """(context, English text) of a lazy translation, as the catalogues key it: the arguments
    the lazy gettext_lazy or pgettext_lazy was called with."""
    args = text._args
    return (args[0], args[1]) if len(args) == 2 else (None, args[0])


def test_the_phrasebook_is_about_forty_phrases_with_stable_unique_codes():
    codes = [phrase.code for _group, phrases in phrasebook.GROUPS for phrase in phrases]
    assert len(codes) == len(set(codes)) == len(phrasebook.PHRASES)
    assert 35 <= len(codes) <= 50
    for phrase in phrasebook.PHRASES.values():
        assert phrase.expects in phrasebook.Expects.ALL
        placeholders = set(PLACEHOLDER.findall(_source(phrase.text)[1]))
        expected = {f"%({phrase.vocabulary})s"} if phrase.vocabulary else set()
        assert placeholders == expected, phrase.code
        assert not phrase.vocabulary or phrase.vocabulary in phrasebook.VOCABULARIES


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_text_is_translated_with_its_placeholder_kept(language):
    catalog = polib.pofile(str(ROOT / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"))
    entries = {(entry.msgctxt, entry.msgid): entry for entry in catalog if not entry.obsolete}
    for text in _texts():
        context, english = _source(text)
        entry = entries.get((context, english))
        assert entry is not None, f"{language}: {english!r} is not in the catalogue"
        assert entry.msgstr and "fuzzy" not in entry.flags, f"{language}: {english!r}"
        assert PLACEHOLDER.findall(entry.msgstr) == PLACEHOLDER.findall(english), english


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_phrase_reads_in_the_readers_language_with_every_word(language):
    """Drawn as a page draws it: from the compiled catalogue, each word in its place."""
    for phrase in phrasebook.PHRASES.values():
        words = phrasebook.VOCABULARIES.get(phrase.vocabulary, {"": ""})
        for word in words:
            text = phrasebook.phrase_text(phrase.code, {phrase.vocabulary: word}, language=language)
            assert text and "%(" not in text and "…" not in text, (language, phrase.code)
            with translation.override("en"):
                english = phrasebook.phrase_text(
                    phrase.code, {phrase.vocabulary: word}, language="en"
                )
            assert (text == english) == (language == "en"), (language, phrase.code, text)
    for code, _label in phrasebook.CALL_TIMES:
        reply = phrasebook.reply_text(phrasebook.Reply.CALL_TIME, code, language=language)
        assert reply.count(":") >= 1 and reply.split(":", 1)[1].strip()


def test_an_unknown_code_reads_as_nothing():
    assert phrasebook.phrase_text("no-such-phrase", {}, language="pl") == ""
    assert phrasebook.reply_text("no-such-reply", "", language="pl") == ""
