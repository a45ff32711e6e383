"""The public form without a browser: the first question, the contact fields without JavaScript,
how long a draft lives, the quick exit's server side, and a way back from every page."""

import io
import re
import uuid
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from intake import uploads
from intake.public import views
from signals.models import Signal
from tests.helpers import address_of_its_own, files_waiting_for_send

pytestmark = pytest.mark.django_db

REPORT = "/en/report/"
LATER_STEPS = ["where", "when", "who", "kind", "signs", "danger", "photos"]


@pytest.fixture
def reporter():
    return Client(REMOTE_ADDR=address_of_its_own())


def post(client, step, action="next", **answers):
    return client.post(REPORT, {"step": step, "action": action, **answers})


def send(client):
    page = client.get(REPORT).content.decode()
    token = re.search(r'name="receipt" value="([^"]+)"', page)[1]
    return post(client, "check", action="send", receipt=token)


def test_the_first_question_asks_who_the_report_is_about(reporter, reference_data):
    page = reporter.get(REPORT).content.decode()
    assert "Step 1 of 12" in page
    assert "Who is this report about?" in page
    assert 'name="about" value="me"' in page and 'name="about" value="other"' in page


def test_about_me_asks_in_the_second_person_and_is_stored(reporter, reference_data):
    post(reporter, "about", about="me")
    page = reporter.get(REPORT).content.decode()
    assert "What is happening to you?" in page
    assert "What did you see or hear?" not in page
    post(reporter, "what", description="My boss keeps my passport.")
    for step in LATER_STEPS:
        page = reporter.get(REPORT).content.decode()
        post(reporter, step)
        if step == "who":
            assert "Are you younger than 18?" in page
        if step == "danger":
            assert "Are you in danger right now?" in page
    contact = reporter.get(REPORT).content.decode()
    assert "Would you like a care coordinator to call you back?" in contact
    assert "Yes, call me back in my language" in contact
    post(reporter, "contact", contact="contact", phone="0612345678", consent="on")
    summary = reporter.get(REPORT).content.decode()
    assert "Call me back in my language" in summary
    receipt = send(reporter).content.decode()
    signal = Signal.objects.get()
    assert signal.about_reporter is True
    assert signal.contact_phone == "+31612345678"
    # The rights follow the receipt (the page itself when content is loaded: see the browser
    # test); what happens next speaks to the person it happens to.
    assert "You decide what you want" in receipt


def test_skipping_the_first_question_is_a_report_about_someone_else(reporter, reference_data):
    post(reporter, "what", description="Workers sleep in the greenhouse.")
    for step in [*LATER_STEPS, "contact"]:
        post(reporter, step)
    send(reporter)
    assert Signal.objects.get().about_reporter is None


def test_contact_details_typed_while_anonymous_are_neither_dropped_nor_sent(
    reporter, reference_data
):
    """Without JavaScript the contact fields show also to an anonymous reporter."""
    post(reporter, "what", description="Seen at the harbour")
    for step in LATER_STEPS:
        post(reporter, step)
    response = post(reporter, "contact", contact="anonymous", phone="0612345678", name="Ana")
    assert response.status_code == 200
    page = response.content.decode()
    assert "You chose to stay anonymous, but you filled in contact details." in page
    assert 'value="0612345678"' in page and 'value="Ana"' in page
    assert "Only if you chose “Yes”:" in page
    # Emptied: anonymous, and on to the last step.
    assert post(reporter, "contact", contact="anonymous").status_code == 302
    send(reporter)
    signal = Signal.objects.get()
    assert (signal.contact_name, signal.contact_phone) == ("", "")


def test_the_session_ends_with_the_sent_report(reporter, reference_data):
    post(reporter, "what", description="Sent and gone.")
    assert Session.objects.count() == 1
    for step in [*LATER_STEPS, "contact"]:
        post(reporter, step)
    response = send(reporter)
    assert response.status_code == 200
    # Only the code waits, until the reporter confirms they saved it; then the session ends.
    assert list(reporter.session.keys()) == [views.RECEIPT]
    code = reporter.session[views.RECEIPT]["code"]
    reporter.post("/en/report/receipt/", {"action": "confirm", "last_four": code[-4:]})
    assert Session.objects.count() == 0


def test_a_draft_lives_no_longer_than_its_limit(reporter, reference_data, monkeypatch):
    post(reporter, "what", description="Written long ago.")
    photo = io.BytesIO()
    Image.new("RGB", (8, 8)).save(photo, format="PNG")
    post(
        reporter,
        "photos",
        action="upload",
        files=[SimpleUploadedFile("photo.png", photo.getvalue(), "image/png")],
    )
    assert len(files_waiting_for_send(reporter)) == 1
    key = reporter.session[views.DRAFT]["key"]

    monkeypatch.setattr(views, "DRAFT_MAX_SECONDS", -1)
    page = reporter.get(REPORT).content.decode()

    assert "Step 1 of 12" in page and "Written long ago." not in page
    assert views.DRAFT not in reporter.session
    folder = Path(uploads.private_storage().path(uploads.TEMPORARY_FOLDER)) / uuid.UUID(key).hex
    assert not folder.exists()


def test_the_quick_exit_forgets_the_draft_on_the_server_and_leaves(reporter, reference_data):
    post(reporter, "what", description="Must not stay.")
    assert Session.objects.count() == 1
    response = reporter.get("/exit/")
    assert response.status_code == 302
    assert response.url == "https://www.weeronline.nl/"
    assert "no-store" in response["Cache-Control"]
    assert response["Clear-Site-Data"] == '"cache", "cookies"'
    assert Session.objects.count() == 0
    page = reporter.get(REPORT).content.decode()
    assert "Must not stay." not in page and "Step 1 of 12" in page


def test_flow_pages_are_never_stored_and_every_public_page_links_back_to_a_report(
    reporter, reference_data
):
    for path in ["/pl/report/", "/pl/report/follow-up/"]:
        response = reporter.get(path)
        assert "no-store" in response["Cache-Control"], path
    for path in ["/pl/", "/pl/help/", "/pl/privacy/", "/pl/report/", "/pl/report/follow-up/"]:
        html = reporter.get(path).content.decode()
        assert 'href="/pl/report/follow-up/"' in html, path
        assert "Mam kod potwierdzenia" in html, path
        # The Escape hint is hidden until the script shows it.
        assert re.search(r'<span class="quick-exit__hint" hidden', html), path
