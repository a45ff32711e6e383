"""A reporter's safety in a real Chromium, with and without JavaScript: the quick exit leaves
nothing behind, a report adds one history entry, and a victim reporting about themself completes
the form in Polish and Arabic and is told their rights."""

import json

import pytest
from django.contrib.sessions.models import Session

from content.services import TEXTS_DIR, load_content
from meldpunt.core.sessions import SessionStore
from signals.models import Signal
from tests.test_browser_public_pages import neutral_site  # noqa: F401 - a fixture
from tests.test_browser_report import CODE, press

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Marek zabiera nam paszporty w szklarni"


def drafts_on_the_server() -> list[dict]:
    sessions = [SessionStore().decode(row.session_data) for row in Session.objects.all()]
    return [data["public_report"] for data in sessions if "public_report" in data]


def answers_shown(page) -> str:
    """Everything of the report a page could show: its text and the values of its fields."""
    values = page.locator("input[type=text], input:not([type]), textarea").evaluate_all(
        "fields => fields.map(field => field.value).join(' ')"
    )
    return page.locator("body").inner_text() + " " + values


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_back_after_quick_exit_shows_no_answers(
    chromium,
    live_server,
    reference_data,
    neutral_site,  # noqa: F811 - the fixture imported above
    javascript,
):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto("/pl/")
        # The shortcut is offered only where it works.
        assert page.locator(".quick-exit__hint").is_visible() is javascript
        page.locator("main a[href='/pl/report/']").first.click()
        page.wait_for_url("**/pl/report/")
        entries = page.evaluate("history.length")
        page.locator("input[name=about][value=other]").check()
        press(page, "next")
        page.locator("textarea[name=description]").fill(SECRET)
        press(page, "next")
        page.locator("input[name=municipality]").fill("Westland")
        press(page, "next")
        page.locator("input[name=occurred_when]").fill("co noc")
        if javascript:
            # Four steps, one history entry: the report's.
            assert page.evaluate("history.length") == entries
        assert len(drafts_on_the_server()) == 1
        page.get_by_role("link", name="Szybko opuść tę stronę").click()
        page.wait_for_url(neutral_site)
        # Forgotten on the server before the browser left, not only by the browser.
        assert drafts_on_the_server() == []

        # Back, as far as the history goes: no page shows anything of the report.
        while True:
            page.go_back()
            if not page.url.startswith(live_server.url):
                break
            shown = answers_shown(page)
            assert SECRET not in shown and "Westland" not in shown and "co noc" not in shown
            if page.url.endswith("/pl/"):
                break
        # With the script the report's entry itself was replaced: Back goes to the start page.
        if javascript:
            assert page.url.endswith("/pl/")
        # The server forgot the draft: the form starts afresh.
        page.goto("/pl/report/")
        assert page.locator("input[name=about]").count() == 2
        assert SECRET not in answers_shown(page)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("language", "rights_title", "direction"),
    [("pl", "Twoje prawa", "ltr"), ("ar", "حقوقكم", "rtl")],
)
def test_a_victim_reports_about_themself_and_is_told_their_rights(
    chromium, live_server, reference_data, language, rights_title, direction
):
    load_content()
    context = chromium.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto(f"/{language}/report/")
        assert page.locator("html").get_attribute("dir") == direction
        page.locator("input[name=about][value=me]").check()
        press(page, "next")
        # Second person from here on, as a self-check asks.
        page.locator("textarea[name=description]").fill(
            "Pracuję 14 godzin dziennie, szef ma mój paszport."
        )
        press(page, "next")
        press(page, "next")  # where
        press(page, "next")  # when
        page.locator("input[name=minor][value=no]").check()
        press(page, "next")
        press(page, "next")  # who is behind it
        press(page, "next")  # kind
        passport = page.get_by_label(_self_text(language, "no-id-papers"))
        passport.check()
        press(page, "next")
        page.locator("input[name=danger][value=no]").check()
        press(page, "next")
        press(page, "next")  # photos
        # A call back in the reporter's language.
        page.locator("input[name=contact][value=contact]").check()
        page.locator("input[name=phone]").fill("+48 601 234 567")
        page.locator("input[name=consent]").check()
        press(page, "next")
        press(page, "send")

        code = page.locator(".receipt-code").inner_text().strip()
        assert CODE.match(code)
        assert page.locator("html").get_attribute("dir") == direction
        rights = page.locator("#your-rights")
        assert rights.inner_text() == rights_title
        assert "112" in page.locator("main").inner_text()
        signal = Signal.objects.get()
        assert signal.about_reporter is True
        assert signal.language == language
        assert signal.contact_phone == "+48601234567"
        assert signal.indicators.get().code == "no-id-papers"
        # The rights page itself, in the reporter's language.
        page.goto(f"/{language}/info/your-rights/")
        assert page.locator("h1").inner_text() == rights_title
    finally:
        context.close()


def _self_text(language: str, code: str) -> str:
    texts = json.loads((TEXTS_DIR / f"{language}.json").read_text(encoding="utf-8"))
    return texts["signals.indicator"][code]["self_text"]
