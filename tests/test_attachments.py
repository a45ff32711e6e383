"""Attachments are downloaded through the permission check only, and every download is logged."""

import uuid

import pytest
from django.urls import reverse

from access.models import AccessLogEntry
from access.services import grant_submitter_access
from organisations.models import Membership
from tests.factories import AttachmentFactory, OrganisationFactory, SignalFactory
from tests.helpers import english_client, member_of, signed_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 a statement"


def _member(organisation):
    user = member_of(organisation, Membership.Role.PROFESSIONAL)
    return user, signed_in(user)


@pytest.fixture
def stored():
    police = OrganisationFactory()
    signal = SignalFactory(submitted_by=police)
    grant_submitter_access(signal, organisation=police)
    attachment = AttachmentFactory(
        signal=signal, original_name="verklaring.pdf", content_type="application/pdf", content=PDF
    )
    url = reverse("pro_signals:attachment", args=[signal.public_id, attachment.public_id])
    return {"police": police, "signal": signal, "attachment": attachment, "url": url}


def test_the_submitting_organisation_downloads_the_file_and_it_is_logged(stored):
    officer, client = _member(stored["police"])
    response = client.get(stored["url"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="verklaring.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    logged = AccessLogEntry.objects.get(
        user=officer, signal=stored["signal"], action=AccessLogEntry.Action.DOWNLOAD
    )
    # The append-only log names the file by its id: a file name may name a person.
    assert "verklaring" not in logged.detail


def test_no_one_else_reaches_the_file(stored):
    _outsider, client = _member(OrganisationFactory())
    assert client.get(stored["url"]).status_code == 404
    _officer, client = _member(stored["police"])
    wrong = reverse("pro_signals:attachment", args=[stored["signal"].public_id, uuid.uuid4()])
    assert client.get(wrong).status_code == 404
    assert english_client().get(stored["url"]).status_code == 302
    # The file lives outside every URL the web server serves.
    assert "/private/" in stored["attachment"].file.path
