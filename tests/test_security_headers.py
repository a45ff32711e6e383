"""Security headers on every kind of response, and why the referrer policy is same-origin."""

import pytest

from organisations.models import Membership
from tests.factories import OrganisationFactory
from tests.helpers import english_client, member_of, signed_in

# Features the portal never uses; each must be switched off for the portal and anything it embeds.
SWITCHED_OFF = [
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "interest-cohort",
    "browsing-topics",
    "bluetooth",
    "serial",
    "hid",
    "display-capture",
]
PAGES = [
    ("/en/", 200),
    ("/en/report/", 200),
    ("/pro/login/", 200),
    ("/api/v1/regions/", 200),
    ("/api/v1/no-such-endpoint/", 404),
    ("/en/no-such-page/", 404),
    ("/static/css/meldpunt.css", 200),
    ("/healthz", 200),
]


def _policy(header: str) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in header.split(","))


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "status"), PAGES)
def test_every_response_switches_off_powerful_browser_features(reference_data, path, status):
    response = english_client().get(path)
    assert response.status_code == status
    policy = _policy(response["Permissions-Policy"])
    for feature in SWITCHED_OFF:
        assert policy[feature] == "()", feature
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    if not path.startswith("/static/"):
        # Static files are answered by WhiteNoise before the clickjacking middleware; a style
        # sheet or script cannot be framed into anything that runs.
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_forbid_framing_inline_scripts_and_other_origins():
    csp = english_client().get("/en/report/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


PORTAL_POLICY = '<meta name="referrer" content="same-origin">'


def _submit_first_step(page, referrer_policy: str) -> tuple[dict, int]:
    """Answer the first question of the public form in Chromium and press Next, with the form
    page's referrer policy set to `referrer_policy`. Returns the headers Chromium sent with the
    form post and the portal's answer.

    The page carries the policy twice, as a header and in a <meta> element (base.html); the meta
    element wins, so that is where the experiment changes it.
    """

    def rewrite(route, request):
        if request.method != "GET":
            route.continue_()
            return
        response = route.fetch()
        body = response.text()
        assert PORTAL_POLICY in body
        assert response.headers["referrer-policy"] == "same-origin"
        body = body.replace(PORTAL_POLICY, f'<meta name="referrer" content="{referrer_policy}">')
        route.fulfill(response=response, body=body)

    page.route("**/en/report/", rewrite)
    page.goto("/en/report/")
    page.locator("input[name=about][value=other]").check()
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.locator("button[name=action][value=next]").click()
    headers = answer.value.request.all_headers()
    page.unroute("**/en/report/")
    return headers, answer.value.status


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_referrer_would_break_every_form_and_same_origin_does_not(chromium, live_server):
    """The issue asks for `Referrer-Policy: no-referrer`. With it, Chromium sends `Origin: null`
    and no Referer with form posts (the Fetch standard's rule for no-referrer), and Django's CSRF
    check refuses them ("Origin checking failed - null does not match any trusted origins"):
    trusting "null" would also trust sandboxed frames and data: pages. same-origin keeps the
    origin for the portal's own forms and still gives other sites no referrer at all.

    Without JavaScript, so that the form is posted by the browser itself (with the script the
    public form posts in the background, see static/js/report.js)."""
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    headers, status = _submit_first_step(page, "no-referrer")
    assert headers["origin"] == "null"
    assert "referer" not in headers
    assert status == 403

    headers, status = _submit_first_step(page, "same-origin")
    assert headers["origin"] == live_server.url
    assert status == 302
    context.close()


@pytest.mark.django_db
def test_nothing_a_professional_sees_is_kept_in_a_browser_cache(reference_data):
    """A shared computer's back button or disk cache must not show a case after sign-out."""
    professional = signed_in(member_of(OrganisationFactory(), Membership.Role.PROFESSIONAL))
    for path in ["/pro/", "/pro/signals/", "/api/v1/signals/"]:
        response = professional.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    assert "no-store" in english_client().get("/api/v1/regions/")["Cache-Control"]
    # A public information page stays cacheable.
    assert "no-store" not in english_client().get("/en/").get("Cache-Control", "")
