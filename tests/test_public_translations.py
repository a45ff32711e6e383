"""Every public page, in every language, shows no untranslated text.

The catalogue tests read the .po files; this one renders the pages, so it also catches text that
comes from code (selectors, forms, models) and database content, and text a page renders in the
wrong language (a lazy translation turned into words too early). On every page in every language
no sentence may show that is an English source string or a Dutch text (the fallback language),
unless that language's own translation says the same.
"""

import json
import re
import time
import uuid
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import to_locale

from content.selectors import help_regions
from content.services import TEXTS_DIR, load_content
from intake.public.views import DRAFT, FOLLOW_UP, RECEIPT
from signals.models import Signal
from tests.factories import UserFactory
from tests.helpers import address_of_its_own
from triage.services import set_flood_switch

pytestmark = pytest.mark.django_db

ROOT = settings.BASE_DIR
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# Shorter texts ("Next", "Phone") count only as a whole text of the page, longer ones anywhere in
# it: a short word may well be part of another language's sentence.
WHOLE_TEXT_BELOW = 12
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _catalog(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"))


def _content_texts(language: str) -> list[str]:
    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, str) and value:
            yield value

    texts = json.loads((TEXTS_DIR / f"{language}.json").read_text(encoding="utf-8"))
    return [line for text in walk(texts) for line in _lines(text)]


def _lines(text: str) -> list[str]:
    """A text as a page shows it: line by line, without list and heading markers."""
    return [re.sub(r"^(## |- )", "", line).strip() for line in text.splitlines() if line.strip()]


def _normal(text: str) -> str:
    return " ".join(text.split())


class Sources:
    """The texts that must not show untranslated, and each language's own texts."""

    def __init__(self) -> None:
        dutch = _catalog("nl")
        self.english = [entry.msgid for entry in dutch if not entry.obsolete]
        self.dutch = [entry.msgstr for entry in dutch if not entry.obsolete and entry.msgstr]
        self.texts = {"en": _content_texts("en"), "nl": _content_texts("nl")}

    def forbidden_in(self, language: str) -> tuple[set[str], list[re.Pattern]]:
        """Texts that would be untranslated in `language`, and patterns for those with
        placeholders ("Step %(number)s of %(total)s")."""
        own = self.own(language)
        candidates = self.english + self.texts["en"]
        if language != "nl":
            candidates += self.dutch + self.texts["nl"]
        plain, patterns = set(), []
        for text in {_normal(text) for text in candidates}:
            if not re.search(r"[^\W\d_]{2}", text) or text in own:
                continue
            if PLACEHOLDER.search(text):
                literal = [part for part in PLACEHOLDER.split(text) if part.strip()]
                if sum(len(part.split()) for part in literal) >= 2:
                    pattern = ".+?".join(re.escape(part) for part in PLACEHOLDER.split(text))
                    patterns.append(re.compile(pattern))
            else:
                plain.add(text)
        return plain, patterns

    def own(self, language: str) -> str:
        """All of a language's own texts in one string, to look a text up in."""
        catalog = _catalog(language)
        translated = [entry.msgstr for entry in catalog if entry.msgstr]
        translated += [text for entry in catalog for text in entry.msgstr_plural.values()]
        return "\n".join(_normal(text) for text in translated + _content_texts(language))


class PageText(HTMLParser):
    """The text a page shows in its own language: text nodes and labelling attributes, leaving
    out what is marked as another language (the language switcher names each language in
    itself; a message shows in the language it was written in)."""

    ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.stack: list[tuple[str, str, bool]] = []
        self.texts: list[str] = []

    def _shown(self) -> bool:
        if any(tag in ("script", "style", "datalist") for tag, _lang, _skip in self.stack):
            return False
        for _tag, lang, _skip in reversed(self.stack):
            if lang:
                return lang == self.language
        return True

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in self.VOID:
            self.stack.append((tag, attributes.get("lang") or "", False))
        if self._shown() or tag in self.VOID:
            for name in self.ATTRIBUTES:
                if attributes.get(name):
                    self.texts.append(_normal(attributes[name]))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and self._shown():
            self.texts.append(_normal(data))


def untranslated(html: str, language: str, forbidden: tuple[set[str], list[re.Pattern]]):
    plain, patterns = forbidden
    parser = PageText(language)
    parser.feed(html)
    whole = "\n".join(parser.texts)
    found = {text for text in parser.texts if text in plain}
    found |= {text for text in plain if len(text) >= WHOLE_TEXT_BELOW and text in whole}
    found |= {pattern.pattern for pattern in patterns if pattern.search(whole)}
    return found


def public_pages(client: Client, language: str):
    """(name, html) of every public page a visitor can reach, with a report sent through both
    paths of the form on the way."""
    prefix = f"/{language}"
    yield "home", client.get(f"{prefix}/")
    for slug in (
        "what-is-human-trafficking",
        "after-you-report",
        "your-rights",
        "where-to-get-help",
    ):
        yield f"info {slug}", client.get(f"{prefix}/info/{slug}/")
    yield "help", client.get(f"{prefix}/help/")
    yield "help in a region", client.get(f"{prefix}/help/{help_regions().first().code}/")
    yield "privacy", client.get(f"{prefix}/privacy/")
    yield "not found", client.get(f"{prefix}/no-such-page/")

    report = f"{prefix}/report/"
    desk = UserFactory()

    def post(step: str, action: str = "next", **answers):
        return client.post(report, {"step": step, "action": action, **answers})

    for about in ("other", "me"):
        yield f"{about}: first step", client.get(report)
        post("about", about=about)
        yield f"{about}: what, with an error", post("what", description="")
        post("what", description="x")
        steps = ["where", "when", "who", "kind", "signs", "danger", "photos", "contact"]
        for step in steps:
            yield f"{about}: {step}", client.get(report)
            post(step)
        yield (
            f"{about}: contact, typed while anonymous",
            post("contact", contact="anonymous", phone="0612345678"),
        )
        post("contact", contact="anonymous")
        # The reporter about themself meets the flood measures' sum before Send.
        set_flood_switch(on=about == "me", by=desk)
        check = client.get(report)
        yield f"{about}: check", check
        token = re.search(r'name="receipt" value="([^"]+)"', check.content.decode())[1]
        answer = ""
        if about == "me":
            sum_asked = re.search(r'name="challenge"', check.content.decode())
            assert sum_asked, "the flood measures' sum is missing"
            yield f"{about}: check, wrong sum", post("check", action="send", receipt=token)
            answer = str(sum(client.session[DRAFT]["challenge"]))
        receipt = post("check", action="send", receipt=token, challenge=answer)
        yield f"{about}: receipt", receipt
        assert "receipt-code" in receipt.content.decode()
        yield (
            f"{about}: receipt, code not confirmed",
            client.post(f"{prefix}/report/receipt/", {"action": "confirm", "last_four": "?"}),
        )
        code = client.session[RECEIPT]["code"]
        finished = client.post(
            f"{prefix}/report/receipt/", {"action": "confirm", "last_four": code[-4:]}
        )
        assert "receipt-code" not in finished.content.decode()
        yield f"{about}: finished", finished
        yield f"{about}: already sent", post("check", action="send", receipt=token)
    set_flood_switch(on=False, by=desk)

    yield "follow-up: code", client.get(f"{prefix}/report/follow-up/")
    signal = Signal.objects.get(submission_key=uuid.UUID(token))
    # Opened as a correct code opens it (tests/test_public_report.py types the code; here the
    # slow hash of a code check would only cost time).
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)  # ended after Send
    session = client.session
    session[FOLLOW_UP] = {"signal": str(signal.public_id), "until": time.time() + 600}
    session.save()
    for status in (Signal.Status.NEW, Signal.Status.IN_PROGRESS, Signal.Status.CLOSED):
        Signal.objects.filter(pk=signal.pk).update(status=status)
        page = client.get(f"{prefix}/report/follow-up/")
        assert "report-status" in page.content.decode()
        yield f"follow-up: {status}", page


@pytest.fixture(scope="module")
def sources():
    return Sources()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_shows_no_untranslated_text(reference_data, sources, language):
    load_content()
    client = Client(REMOTE_ADDR=address_of_its_own())
    forbidden = sources.forbidden_in(language)
    problems = {}
    pages = 0
    for name, response in public_pages(client, language):
        assert response.status_code in (200, 400, 404, 409), (name, response.status_code)
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, name
        found = untranslated(html, language, forbidden)
        if found:
            problems[name] = sorted(found)
        pages += 1
    assert pages > 40
    assert problems == {}, f"{language}: untranslated text on public pages: {problems}"


def test_the_check_finds_text_left_in_dutch_or_english(sources):
    """The check itself: the Dutch fallback of a missing translation, or an English source
    string, on a Polish page is found; the same words as part of Polish text are not."""
    forbidden = sources.forbidden_in("pl")
    page = (
        '<html lang="pl"><body><main><p class="report-status">'
        "Ontvangen. Iemand bekijkt uw melding binnenkort.</p>"
        "<p>Step 3 of 11</p><button>Next</button>"
        '<a lang="en" hreflang="en">English</a><p>Zadzwoń pod 112.</p></main></body></html>'
    )
    assert untranslated(page, "pl", forbidden) == {
        "Ontvangen. Iemand bekijkt uw melding binnenkort.",
        r"Step\ .+?\ of\ .+?",
        "Next",
    }
