"""No page reflects input unescaped: query strings, form posts that come back with errors, stored
text shown again, error pages and the API's error JSON.

The marker would open an element if it came back raw. Escaped (&lt;svg ...) it may appear, and in
the places where input is meant to come back it must: that is what keeps these tests honest.
"""

import json
import re
import uuid
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import address_of_its_own, english_client
from tests.hostile import CASE_PAGE_POSTS, REPORT_FIELDS, REPORT_STEPS
from tests.test_permission_matrix import ROWS
from tests.world import client_for

pytestmark = pytest.mark.django_db

MARKER = "\"><svg onload=x>'\u202e"
RAW = "<svg onload=x>"
ESCAPED = "&lt;svg onload=x&gt;"
QUERY = {
    name: MARKER
    for name in [
        "q",
        "status",
        "form",
        "region",
        "kind",
        "page",
        "after",
        "before",
        "organisation",
        "action",
        "user",
        "purpose",
        "since",
        "until",
        "start",
        "end",
        "gender",
        "age",
        "language",
        "next",
        "step",
        "source",
        "assigned",
    ]
}


def assert_not_reflected(response, where: str) -> str:
    assert response.status_code < 500, where
    body = response.content.decode(errors="replace")
    assert RAW not in body, where
    assert MARKER not in body, where
    return body


def fetch(client, url: str, data=None, method: str = "get") -> str:
    """The page, and where it redirects to, both checked."""
    response = getattr(client, method)(url, data or {})
    body = assert_not_reflected(response, f"{method.upper()} {url}")
    if response.status_code in (301, 302) and response["Location"].startswith("/"):
        assert RAW not in response["Location"]
        body += assert_not_reflected(client.get(response["Location"]), response["Location"])
    return body


def public_client() -> Client:
    return Client(REMOTE_ADDR=address_of_its_own(), headers={"accept-language": "en"})


PUBLIC_PAGES = [
    "/en/",
    "/nl/",
    "/ar/",
    "/en/help/",
    "/en/privacy/",
    "/en/report/",
    "/en/report/follow-up/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_do_not_reflect_the_query_string(reference_data, url):
    fetch(public_client(), url, QUERY)


def test_error_pages_do_not_reflect_the_path(reference_data):
    client = public_client()
    for url in [
        f"/en/{quote(MARKER)}/",
        f"/en/info/{quote(MARKER)}/",
        f"/en/help/{quote(MARKER)}/",
        f"/pro/{quote(MARKER)}/",
        f"/{quote(MARKER)}",
        f"/pro/signals/{uuid.uuid4()}/?q={quote(MARKER)}",
    ]:
        assert_not_reflected(client.get(url), url)
    response = client.get(f"/api/v1/{quote(MARKER)}/")
    assert response.status_code == 404
    assert_not_reflected(response, "API 404")


def test_every_step_of_the_public_form_shows_hostile_answers_escaped(reference_data):
    client = public_client()
    pages = ""
    for step in REPORT_STEPS:
        data = {field: MARKER for field in REPORT_FIELDS}
        pages += fetch(client, "/en/report/", {**data, "step": step, "action": "next"}, "post")
    pages += fetch(client, "/en/report/", {"step": "check", "action": "send"}, "post")
    # The account of what happened was accepted and is shown again on the check page, escaped.
    assert ESCAPED in pages


def test_the_follow_up_shows_a_hostile_reply_escaped(reference_data):
    client = public_client()
    fetch(client, "/en/report/follow-up/", {"code": MARKER}, "post")
    client.post("/en/report/", {"step": "what", "action": "next", "description": MARKER})
    for step in REPORT_STEPS[1:-1]:
        client.post("/en/report/", {"step": step, "action": "next"})
    page = client.get("/en/report/").content.decode()
    token = re.search(r'name="receipt" value="([^"]+)"', page).group(1)
    receipt = client.post("/en/report/", {"step": "check", "action": "send", "receipt": token})
    code = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}", receipt.content.decode()).group(0)
    client.post("/en/report/follow-up/", {"code": code})
    body = fetch(client, "/en/report/follow-up/", {"action": "reply", "body": MARKER}, "post")
    assert ESCAPED in body


COORDINATOR_PAGES = [
    row
    for row in ROWS
    if row.method == "get"
    and row.status_for("X.coordinator") == 200
    and not row.url_name.startswith("api:")
]


def test_coordinator_pages_do_not_reflect_the_query_string(world):
    client = client_for(world, "X.coordinator")
    assert len(COORDINATOR_PAGES) >= 6
    for row in COORDINATOR_PAGES:
        fetch(client, reverse(row.url_name, kwargs=row.kwargs(world)), QUERY)
    privacy = client_for(world, "X.privacy_officer")
    fetch(privacy, reverse("access:log"), QUERY)


def _hostile(fields: list[str]) -> dict:
    """Every field of a case page form set to the marker, with and without the form's prefix."""
    return {name: MARKER for field in fields for name in (field, field.split("-")[-1])}


def test_coordinator_forms_show_hostile_input_escaped(world):
    client = client_for(world, "X.coordinator")
    public_id = world.signal_a.public_id
    for name, fields in CASE_PAGE_POSTS.items():
        fetch(client, reverse(f"coordination:{name}", args=[public_id]), _hostile(fields), "post")
    fetch(client, reverse("opvang:find_place", args=[public_id]), QUERY)
    case = fetch(client, reverse("coordination:case", args=[public_id]))
    # The note and the question were stored as written and are shown escaped.
    assert case.count(ESCAPED) >= 2


def test_professional_and_admin_forms_show_hostile_input_escaped(world):
    professional = client_for(world, "A.professional")
    data = {
        "action": "submit",
        "submission_key": MARKER,
        "organisation": MARKER,
        "own_reference": MARKER,
        "description": MARKER,
        "victim_consent": MARKER,
        "involves_minor": MARKER,
    }
    for section in ["persons", "companies", "locations", "vehicles", "websites", "bank_accounts"]:
        data[f"{section}-TOTAL_FORMS"] = "1"
        data[f"{section}-INITIAL_FORMS"] = "0"
    for field in ["name", "role", "phone_numbers", "email", "kind", "municipality", "plate", "url"]:
        for section in ["persons", "locations", "vehicles", "websites"]:
            data[f"{section}-0-{field}"] = MARKER
    data["bank_accounts-0-iban"] = MARKER
    data["companies-0-kvk_number"] = MARKER
    body = fetch(professional, reverse("pro_signals:new"), data, "post")
    assert ESCAPED in body
    signal_url = reverse("pro_signals:add_information", args=[world.signal_a.public_id])
    fetch(professional, signal_url, {"text": MARKER}, "post")
    assert ESCAPED in fetch(
        professional, reverse("pro_signals:detail", args=[world.signal_a.public_id])
    )

    admin = client_for(world, "A.organisation_admin")
    organisation_id = world.organisations["A"].public_id
    fetch(admin, reverse("organisations:invite", args=[organisation_id]), {"email": MARKER}, "post")
    fetch(admin, reverse("api_keys:create"), {"name": MARKER, "scope": MARKER}, "post")


def test_api_errors_do_not_reflect_input_as_markup(world):
    body = {
        "description": MARKER,
        "language": MARKER,
        "place": MARKER,
        "municipality": MARKER,
        "occurred_on": MARKER,
        "submission_key": MARKER,
    }
    responses = [
        english_client().post(
            "/api/v1/signals/public/", json.dumps(body), content_type="application/json"
        ),
        client_for(world, "X.coordinator").post(
            reverse("api:signal_status", args=[world.signal_a.public_id]),
            json.dumps({"to_status": MARKER, "reason": MARKER}),
            content_type="application/json",
        ),
        english_client().get("/api/v1/municipalities/", QUERY),
    ]
    for response in responses:
        assert response.status_code in (200, 400)
        # JSON that a browser never renders as a page: its own type, and no sniffing.
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
        body = response.content.decode()
        json.loads(body)
        # An echoed value stays inside JSON strings; outside them there is no markup.
        outside_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', body)
        assert "<" not in outside_strings and "svg" not in outside_strings
