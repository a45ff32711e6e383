"""Every intake channel (the public form, the professional form, the API's public report) stores
an identifier in the one form signals.identifiers gives it, however it was typed."""

import re

import pytest
from django.test import Client

from organisations.models import Membership, Organisation
from signals.models import Signal
from tests.factories import OrganisationFactory
from tests.helpers import (
    address_of_its_own,
    description_only_intake,
    member_of,
    reporter_at_the_photo_step,
    signed_in,
)

pytestmark = pytest.mark.django_db

PHONE_E164 = "+31612345678"
EMAIL = "ana.p@example.ro"


def _public_form(phone: str, email: str) -> tuple[str, str]:
    reporter = reporter_at_the_photo_step()
    reporter.post("/en/report/", {"step": "photos", "action": "next"})
    contact = {"contact": "contact", "phone": phone, "email": email, "consent": "on"}
    reporter.post("/en/report/", {"step": "contact", "action": "next", **contact})
    page = reporter.get("/en/report/").content.decode()
    token = re.search(r'name="receipt" value="([^"]+)"', page).group(1)
    reporter.post("/en/report/", {"step": "check", "action": "send", "receipt": token})
    signal = Signal.objects.get(source=Signal.Source.PUBLIC)
    return signal.contact_phone, signal.contact_email


def _professional_form(phone: str, email: str) -> tuple[str, str]:
    police = OrganisationFactory(kind=Organisation.Kind.POLICE)
    client = signed_in(member_of(police, Membership.Role.PROFESSIONAL))
    data = description_only_intake(police, "A girl works every night in the nail salon.")
    data.update(
        {
            "persons-TOTAL_FORMS": "1",
            "persons-0-role": "possible_victim",
            "persons-0-gender": "unknown",
            "persons-0-phone_numbers": phone,
            "persons-0-email": email,
        }
    )
    assert client.post("/pro/signals/new/", data).status_code == 302
    person = Signal.objects.get(source=Signal.Source.PROFESSIONAL).persons.get()
    return person.phone_numbers.get().number, person.email


def _api(phone: str, email: str) -> tuple[str, str]:
    client = Client(REMOTE_ADDR=address_of_its_own())
    report = {
        "description": "A girl works every night in the nail salon.",
        "contact_phone": phone,
        "contact_email": email,
    }
    response = client.post("/api/v1/signals/public/", report, content_type="application/json")
    assert response.status_code == 201, response.content
    signal = Signal.objects.get(source=Signal.Source.PUBLIC)
    return signal.contact_phone, signal.contact_email


@pytest.mark.parametrize(
    "channel", [_public_form, _professional_form, _api], ids=lambda c: c.__name__
)
@pytest.mark.parametrize("phone", ["06 1234 5678", "+31 6-12345678", "0031612345678"])
def test_a_phone_and_e_mail_are_stored_alike_whichever_channel_took_them(
    reference_data, channel, phone
):
    assert channel(phone, " Ana.P@Example.RO ") == (PHONE_E164, EMAIL)


def test_the_api_refuses_a_phone_number_the_forms_refuse(reference_data):
    client = Client(REMOTE_ADDR="2001:db8:5e::1")
    report = {"description": "Seen at the harbour.", "contact_phone": "06 1234"}
    response = client.post("/api/v1/signals/public/", report, content_type="application/json")
    assert response.status_code == 400
    assert "contact_phone" in response.json()["error"]["fields"]
    assert not Signal.objects.exists()
