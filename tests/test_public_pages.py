"""The public pages: languages, right to left, database content, help contacts, no third parties."""

import importlib
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from content.models import ContentPage, HelpContact
from content.services import load_content
from regions.models import AreaContact
from tests.factories import (
    ContentPageFactory,
    ExploitationFormFactory,
    HelpContactFactory,
    IndicatorCategoryFactory,
    IndicatorFactory,
    RegionFactory,
)

QUICK_EXIT_URL = "https://www.weeronline.nl/"
LANGUAGES = ["nl", "en", "ar", "fa"]
PAGE_SLUG = "test-page"
REGION_CODE = "TST"

# Public pages as paths after the language prefix. Pages of other parts of the portal join the
# list once their URL exists (the report funnel is built separately).
STATIC_PUBLIC_PATHS = ["", f"info/{PAGE_SLUG}/", "help/", f"help/{REGION_CODE}/", "privacy/"]
OPTIONAL_PUBLIC_PATHS = ["report/", "report/follow-up/"]


def public_paths(language: str) -> list[str]:
    paths = [f"/{language}/{path}" for path in STATIC_PUBLIC_PATHS]
    for path in OPTIONAL_PUBLIC_PATHS:
        # Language-prefixed URLs resolve only for the active language.
        with translation.override(language):
            try:
                resolve(f"/{language}/{path}")
            except Resolver404:
                continue
        paths.append(f"/{language}/{path}")
    return paths


def make_public_content() -> None:
    """The database content every public page shows (a test flush removes the seeded content)."""
    ContentPageFactory(
        slug=PAGE_SLUG,
        title_nl="Wat is mensenhandel?",
        title_en="What is human trafficking?",
        summary_nl="Iemand wordt gedwongen te werken.",
        body_nl="Uitleg in gewone woorden.\n\n## Vormen\n\n- Seksuele uitbuiting\n- Arbeid",
        body_en="Explained in plain words.\n\n## Forms\n\n- Sexual exploitation\n- Labour",
    )
    region = RegionFactory(code=REGION_CODE, name="Testregio")
    AreaContact.objects.create(
        region=region, organisation="Zorgcoördinatie Testregio", phone="030 123 45 67"
    )
    HelpContactFactory(
        name_nl="Slachtofferhulp Nederland",
        description_nl="Gratis hulp voor slachtoffers.",
        description_en="Free help for victims.",
        phone="0900 0101",
        website="https://www.slachtofferhulp.nl/",
    )
    HelpContactFactory(
        region=region, name_nl="Zorgcoördinator Testregio", description_nl="Regionale hulp."
    )
    category = IndicatorCategoryFactory(code="freedom", name_nl="Vrijheid")
    labour = ExploitationFormFactory(
        code="labour",
        name_nl="Arbeidsuitbuiting",
        name_en="Labour exploitation",
        examples_nl="Heel lang werken voor weinig geld.",
        examples_en="Working very long hours for little money.",
    )
    IndicatorFactory(
        code="no-papers",
        category=category,
        name_nl="Geen toegang tot eigen papieren",
        public_text_nl="Iemand anders houdt het paspoort vast.",
        public_text_en="Someone else keeps their passport.",
        is_public=True,
        forms=[labour],
    )


@pytest.fixture
def public_content(db):
    make_public_content()


class LinkCollector(HTMLParser):
    """Every URL an HTML page points to or loads from (href, src, action, srcset, ...)."""

    URL_ATTRIBUTES = {"href", "src", "action", "srcset", "poster", "data", "formaction"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.language_links: list[tuple[str, str, str]] = []
        self._language_link: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name in self.URL_ATTRIBUTES and value:
                self.urls.append(value)
        if tag == "a" and "hreflang" in attributes:
            self._language_link = {**attributes, "text": ""}

    def handle_data(self, data):
        if self._language_link is not None:
            self._language_link["text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._language_link is not None:
            link = self._language_link
            self.language_links.append((link["hreflang"], link["text"].strip(), link["href"]))
            self._language_link = None


def collect(html: str) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(html)
    return collector


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_answers_in_the_language_with_its_direction(
    client, public_content, language
):
    direction = "rtl" if language in {"ar", "fa"} else "ltr"
    for path in public_paths(language):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert f'<html lang="{language}" dir="{direction}"' in html, path
        assert 'href="/exit/"' in html, path
        assert "112" in html, path


def test_the_language_switcher_names_all_twenty_languages_in_themselves(client, public_content):
    response = client.get("/en/help/")
    links = collect(response.content.decode()).language_links
    assert [code for code, _name, _href in links] == [code for code, _ in settings.LANGUAGES]
    assert len(links) == 20
    names = {code: name for code, name, _href in links}
    assert names["nl"] == "Nederlands"
    assert names["pl"] == "Polski"
    assert names["ro"] == "Română"
    assert names["ar"] == "العربيّة"
    assert names["fa"] == "فارسی"
    assert names["uk"] == "Українська"
    assert names["zh-hans"] == "简体中文"
    # Each link leads to this same page in that language.
    assert all(href == f"/{code}/help/" for code, _name, href in links)
    assert client.get("/pl/help/").status_code == 200


def test_professional_pages_switch_language_with_a_form(client, db):
    response = client.get("/pro/login/", follow=True)
    html = response.content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert html.count('name="language"') == 20
    switched = client.post("/i18n/setlang/", {"language": "pl", "next": "/pro/login/"})
    assert switched.status_code == 302
    assert client.get("/pro/login/", follow=True).content.decode().count('<html lang="pl"') == 1


def test_home_tells_to_call_112_first_and_explains_the_forms_of_exploitation(
    client, public_content
):
    html = client.get("/en/").content.decode()
    main = html[html.index('<main id="main"') :]
    first_text = re.sub(r"<[^>]+>", " ", main[: main.index("</div>")])
    assert "In immediate danger? Call 112." in first_text
    assert "Labour exploitation" in html
    assert "Working very long hours for little money." in html
    assert "Someone else keeps their passport." in html
    assert 'href="/en/report/"' in html
    assert 'href="/en/help/"' in html


def test_database_content_is_translated_and_falls_back_to_dutch(client, public_content):
    english = client.get(f"/en/info/{PAGE_SLUG}/").content.decode()
    assert "What is human trafficking?" in english
    assert "<h2>Forms</h2>" in english
    assert "<li>Sexual exploitation</li>" in english
    polish = client.get(f"/pl/info/{PAGE_SLUG}/").content.decode()
    assert "Wat is mensenhandel?" in polish
    assert "<li>Seksuele uitbuiting</li>" in polish
    help_en = client.get("/en/help/").content.decode()
    assert "Free help for victims." in help_en
    # No English name given: the Dutch name shows.
    assert "Slachtofferhulp Nederland" in help_en


def test_html_typed_into_content_is_shown_as_text(client, public_content):
    ContentPageFactory(
        slug="hostile",
        title_nl="<b>Titel</b>",
        body_nl=(
            '<script src="https://evil.example/x.js"></script>\n\n- <img src=x onerror=alert(1)>'
        ),
    )
    html = client.get("/nl/info/hostile/").content.decode()
    assert 'evil.example/x.js"></script>' not in html
    assert "<img src=x" not in html
    assert "&lt;script src=&quot;https://evil.example/x.js&quot;&gt;" in html
    assert "&lt;b&gt;Titel&lt;/b&gt;" in html


def test_unpublished_and_unknown_pages_answer_404(client, public_content):
    ContentPageFactory(slug="draft", title_nl="Concept", body_nl="x", is_published=False)
    assert client.get("/nl/info/draft/").status_code == 404
    assert client.get("/nl/info/nothing-here/").status_code == 404
    assert client.get("/nl/help/NOPE/").status_code == 404


def test_help_pages_show_public_contacts_and_never_an_address(client, public_content):
    address_like = [
        field.name
        for field in HelpContact._meta.get_fields()
        if any(word in field.name for word in ("address", "adres", "street", "postcode", "city"))
    ]
    assert address_like == []
    for language in ("nl", "en"):
        for path in (f"/{language}/help/", f"/{language}/help/{REGION_CODE}/"):
            html = client.get(path).content.decode()
            text = re.sub(r"<[^>]+>", " ", html).lower()
            assert "address" not in text, path
            assert "adres" not in text, path
            assert 'href="tel:09000101"' in html
            # The website is named as text, not linked: public pages link to no other site.
            assert "www.slachtofferhulp.nl" in text
            assert 'href="https://www.slachtofferhulp.nl' not in html
    regional = client.get(f"/nl/help/{REGION_CODE}/").content.decode()
    assert "Zorgcoördinator Testregio" in regional
    assert 'href="tel:0301234567"' in regional


def test_content_security_policy_allows_only_the_portal_itself(client, public_content):
    for path in public_paths("nl"):
        header = client.get(path)["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in header.split(";") if part.strip()
        )
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        for name, sources in directives.items():
            assert set(sources) <= {"'self'", "'none'", "data:"}, (path, name, sources)


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_public_pages_point_to_no_other_host(client, public_content, language):
    """Not even the quick exit: it goes through the portal's /exit/, which forgets the draft."""
    for path in public_paths(language):
        html = client.get(path).content.decode()
        for url in collect(html).urls:
            parts = urlsplit(url)
            if parts.scheme in {"tel", "mailto", "data"}:
                continue
            assert not (parts.netloc or parts.scheme), (path, url)
        # Nor in text, inline styles or scripts.
        absolute = set(re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'<>]*", html))
        assert absolute == set(), (path, absolute)


def test_the_static_css_and_js_load_nothing_from_elsewhere():
    root = settings.BASE_DIR / "static"
    for path in [*root.rglob("*.css"), *root.rglob("*.js")]:
        text = path.read_text()
        assert "@import" not in text, path
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
    license_text = (root / "vendor" / "nlds" / "LICENSE.md").read_text()
    assert "EUPL" in license_text


def test_the_content_loader_fills_dutch_and_english_content_once(db):
    """One source per text: the seed migration carries none, load_content loads them all."""
    seed_migration = importlib.import_module("content.migrations.0002_seed_content")
    assert seed_migration.Migration.operations == []
    ContentPage.objects.all().delete()
    HelpContact.objects.all().delete()
    load_content()
    load_content()  # running it again adds nothing
    assert ContentPage.objects.filter(is_published=True).count() == 4
    page = ContentPage.objects.get(slug="what-is-human-trafficking")
    assert page.title_nl == "Wat is mensenhandel?"
    assert page.title_en == "What is human trafficking?"
    national = HelpContact.objects.filter(region=None)
    assert national.count() == 11
    assert national.filter(phone="112").exists()
    assert national.filter(phone="0900 0101", name_nl="Slachtofferhulp Nederland").exists()
    assert national.get(code="comensha").phone == "033 448 11 86"


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_an_unknown_page_answers_404_in_the_visitors_language_with_a_way_back(client, language):
    response = client.get(f"/{language}/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    with translation.override(language):
        title = translation.gettext("This page does not exist")
        call_112 = translation.gettext("In immediate danger? Call 112.")
    assert title != "This page does not exist", "the error page is not translated"
    assert f'<html lang="{language}"' in html
    assert title in html and call_112 in html
    assert f'href="/{language}/"' in html


def test_a_form_sent_without_its_security_token_explains_itself_and_keeps_the_look(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/pl/report/", {"step": "what", "action": "next", "description": "x"})

    assert response.status_code == 403
    with translation.override("pl"):
        title = translation.gettext("This form has expired")
    assert title != "This form has expired"
    assert title in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
