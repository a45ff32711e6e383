"""The public pages in a real Chromium: quick exit, right to left, no third parties, axe-core."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.test_public_pages import make_public_content, public_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
NEUTRAL_PAGE = "<!DOCTYPE html><html lang='nl'><title>Weer</title><p>Het weer van vandaag.</p>"


@pytest.fixture
def public_content(transactional_db):
    make_public_content()


@pytest.fixture
def neutral_site(settings):
    """The quick exit's neutral site, served locally, so the test uses no network. A real server
    rather than a Playwright route: Chromium follows the portal's redirect to it, and Playwright
    does not intercept a request a redirect started."""

    class NeutralPage(BaseHTTPRequestHandler):
        def do_GET(self):
            body = NEUTRAL_PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), NeutralPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.QUICK_EXIT_URL = f"http://127.0.0.1:{server.server_address[1]}/weer/"
    yield settings.QUICK_EXIT_URL
    server.shutdown()
    server.server_close()


def test_quick_exit_leaves_and_the_back_button_does_not_return(
    page, live_server, public_content, neutral_site
):
    page.goto("/nl/help/")
    page.get_by_role("link", name="Deze website snel verlaten").click()
    page.wait_for_url(neutral_site)
    assert "Het weer van vandaag." in page.content()
    page.go_back()
    assert not page.url.startswith(live_server.url)


def test_escape_twice_leaves_the_portal(page, live_server, public_content, neutral_site):
    page.goto("/en/")
    page.keyboard.press("Escape")
    page.wait_for_timeout(1200)
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    # Two presses far apart are not the shortcut.
    assert page.url.startswith(live_server.url)
    page.keyboard.press("Escape")
    page.wait_for_url(neutral_site)
    page.go_back()
    assert not page.url.startswith(live_server.url)


def test_quick_exit_works_without_javascript(chromium, live_server, public_content, neutral_site):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/nl/")
        page.get_by_role("link", name="Deze website snel verlaten").click()
        page.wait_for_url(neutral_site)
        # A plain link cannot take the portal out of the history: that needs the script.
        page.go_back()
        assert page.url.startswith(live_server.url)
    finally:
        context.close()


def test_arabic_pages_are_mirrored(page, public_content):
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto("/nl/")
    name_ltr = page.locator(".site-name").bounding_box()
    switcher_ltr = page.locator(".language-switcher summary").bounding_box()
    assert name_ltr["x"] < switcher_ltr["x"]
    page.goto("/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    name_rtl = page.locator(".site-name").bounding_box()
    switcher_rtl = page.locator(".language-switcher summary").bounding_box()
    # The header starts on the right: the portal name sits right of the language switcher.
    assert name_rtl["x"] > switcher_rtl["x"]
    assert name_rtl["x"] + name_rtl["width"] > 800 / 2
    # The language list opens and links to this page in Polish.
    page.locator(".language-switcher summary").click()
    page.get_by_role("link", name="Polski").click()
    page.wait_for_url("**/pl/")
    assert page.locator("html").get_attribute("dir") == "ltr"


def test_public_pages_make_no_request_to_another_host(page, live_server, public_content):
    portal = urlsplit(live_server.url).netloc
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for language in ("nl", "ar"):
        for path in public_paths(language):
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.locator(".language-switcher summary").click()
    assert requests
    elsewhere = [url for url in requests if urlsplit(url).netloc != portal]
    assert elsewhere == []


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(" ")).slice(0, 5),
    }));
}"""


def test_public_pages_pass_axe_core(chromium, live_server, public_content):
    # axe is injected as a script, which the portal's own CSP forbids: this context ignores CSP.
    context = chromium.new_context(bypass_csp=True, base_url=live_server.url)
    try:
        page = context.new_page()
        problems = {}
        for language in ("nl", "ar"):
            for path in public_paths(language):
                page.goto(path)
                # Check the open language menu too.
                page.locator(".language-switcher summary").click()
                page.add_script_tag(path=str(AXE))
                assert page.evaluate("axe.version") == "4.14.1"
                violations = page.evaluate(AXE_RUN)
                if violations:
                    problems[path] = violations
        assert problems == {}
    finally:
        context.close()
