"""CoMensha: it places victims in COSM shelter, reads the registrations of victims pseudonymised
(page, CSV, API), and coordinates the areas without a coordinator of their own."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from access.models import AccessLogEntry, Share
from coordination.models import Registration
from coordination.registration_selectors import registrations_by_form_and_sector
from opvang import services as opvang_services
from opvang.matching import Needs
from opvang.models import Offer, PlacementRequest
from organisations.models import Membership, Organisation
from regions.models import Municipality, Region
from signals.models import Person, PhoneNumber, Signal
from tests.factories import (
    CoordinationFactory,
    ExploitationFormFactory,
    OfferFactory,
    OrganisationFactory,
    PersonFactory,
    ShelterFactory,
    SignalFactory,
)
from tests.helpers import member_of, signed_in
from triage.services import triage_signal

pytestmark = pytest.mark.django_db
Kind, Role = Organisation.Kind, Membership.Role
NAME, PHONE, EMAIL = "Ana Secretescu", "+31612345678", "ana.secret@example.nl"
DESCRIPTION = "Werkt zeven dagen per week in de kas aan de Geheimweg"
CONTACT = "Belt terug na zessen"
# Sixteen and a half today, whenever the test runs.
BORN = date.today() - timedelta(days=365 * 16 + 200)


@pytest.fixture
def chain(reference_data):
    """CoMensha (the fallback) with a coordinator and an analyst, Amsterdam's coordination, a
    shelter with a COSM offer and a crisis offer, and a signal in Amsterdam about a named person
    with contact details and words of their own."""
    amsterdam = Region.objects.get(code="AMS")
    comensha = OrganisationFactory(
        name="CoMensha", kind=Kind.COMENSHA, coordinates_uncovered_areas=True
    )
    coordination = CoordinationFactory(region=amsterdam)
    shelter = ShelterFactory(name="Opvang Noord", email="intake@noord.test")
    town = Municipality.objects.get(code="GM0363")
    cosm = OfferFactory(provider=shelter, kind=Offer.Kind.COSM, municipality=town, free_places=2)
    crisis = OfferFactory(provider=shelter, kind=Offer.Kind.CRISIS, municipality=town)
    signal = SignalFactory(
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=town,
        description=DESCRIPTION,
        occurred_when=CONTACT,
        contact_name=NAME,
        contact_phone=PHONE,
        contact_email=EMAIL,
    )
    signal.forms.add(ExploitationFormFactory(code="labour", name="Arbeidsuitbuiting"))
    person = PersonFactory(
        signal=signal,
        name=NAME,
        date_of_birth=BORN,
        gender=Person.Gender.FEMALE,
        nationality="Roemenië",
        email=EMAIL,
    )
    PhoneNumber.objects.create(person=person, raw=PHONE, number=PHONE)
    users = {
        "placer": member_of(comensha, Role.COORDINATOR, email="plaatsing@comensha.test"),
        "analyst": member_of(comensha, Role.ANALYST),
        "coordinator": member_of(coordination, Role.COORDINATOR),
        "provider": member_of(shelter, Role.PROFESSIONAL, email="worker@noord.test"),
    }
    triage_signal(signal.pk)
    return {
        "comensha": comensha,
        "coordination": coordination,
        "shelter": shelter,
        "cosm": cosm,
        "crisis": crisis,
        "signal": Signal.objects.get(pk=signal.pk),
        "person": person,
        **users,
    }


def _request(chain, offer) -> PlacementRequest:
    return opvang_services.request_placement(
        chain["signal"],
        offer=offer,
        needs=Needs(gender="female", is_minor=True),
        by=chain["coordinator"],
        organisation=chain["coordination"],
    )


# COSM placement


def test_a_cosm_request_reaches_comensha_and_comensha_places(chain):
    placement = _request(chain, chain["cosm"])
    assert placement.placing_organisation == chain["comensha"]

    mail.outbox.clear()
    assert opvang_services.mail_new_request(placement.pk)
    assert "plaatsing@comensha.test" in mail.outbox[0].bcc
    assert "worker@noord.test" not in mail.outbox[0].bcc

    # CoMensha sees the request with the offer, and decides.
    comensha = signed_in(chain["placer"])
    page = comensha.get("/pro/opvang/requests/").content.decode()
    assert chain["cosm"].name in page and "Opvang Noord" in page and "2 of 4 places free" in page
    assert f"/pro/opvang/requests/{placement.public_id}/accept/" in page
    # The provider follows it, and cannot decide it.
    provider = signed_in(chain["provider"])
    provider_page = provider.get("/pro/opvang/requests/").content.decode()
    assert chain["cosm"].name in provider_page
    assert f"/requests/{placement.public_id}/accept/" not in provider_page
    assert provider.post(f"/pro/opvang/requests/{placement.public_id}/accept/").status_code == 404

    response = comensha.post(f"/pro/opvang/requests/{placement.public_id}/accept/")
    assert response.status_code == 302
    placement.refresh_from_db()
    chain["cosm"].refresh_from_db()
    assert placement.status == PlacementRequest.Status.ACCEPTED
    assert placement.answered_by == chain["placer"]
    assert chain["cosm"].free_places == 1
    mail.outbox.clear()
    assert opvang_services.mail_placed_by_comensha(placement.pk)
    assert mail.outbox[0].bcc == ["intake@noord.test", "worker@noord.test"]
    assert NAME not in mail.outbox[0].body


def test_other_offers_are_still_decided_by_their_provider(chain):
    placement = _request(chain, chain["crisis"])
    assert placement.placing_organisation == chain["shelter"]
    comensha = signed_in(chain["placer"])
    assert comensha.post(f"/pro/opvang/requests/{placement.public_id}/accept/").status_code == 404
    provider = signed_in(chain["provider"])
    assert provider.post(f"/pro/opvang/requests/{placement.public_id}/accept/").status_code == 302


# Registration


def _register(chain, **changes):
    data = {
        "person": chain["person"].pk,
        "form": chain["signal"].forms.get().pk,
        "sector": Registration.Sector.AGRICULTURE,
        "nationality": "RO",
        "age_group": Registration.AgeGroup.FROM_16,
        "gender": Person.Gender.FEMALE,
        "reporter_kind": "citizen",
        "region": Region.objects.get(code="AMS").pk,
        "reported_on": timezone.localdate().isoformat(),
        "legal_basis": Share.LegalBasis.LEGAL_OBLIGATION,
        **changes,
    }
    client = signed_in(chain["coordinator"])
    return client.post(f"/pro/queue/{chain['signal'].public_id}/comensha/", data)


def test_the_case_page_starts_the_registration_from_what_the_case_tells(chain):
    page = signed_in(chain["coordinator"]).get(f"/pro/queue/{chain['signal'].public_id}/")
    html = page.content.decode()
    assert "Register a (possible) victim with CoMensha" in html
    assert 'value="RO" selected' in html  # "Roemenië" as typed
    assert 'value="16-17" selected' in html  # sixteen
    assert 'value="citizen" selected' in html


def test_the_coordinator_registers_with_a_legal_basis_and_the_history_says_so(chain):
    assert _register(chain).status_code == 302
    registration = Registration.objects.get()
    assert registration.organisation == chain["coordination"]
    assert registration.legal_basis == Share.LegalBasis.LEGAL_OBLIGATION
    assert registration.nationality.code == "RO"
    page = signed_in(chain["coordinator"]).get(f"/pro/queue/{chain['signal'].public_id}/")
    html = page.content.decode()
    assert registration.pseudonym in html and "Registered with CoMensha by" in html
    # Once per person and signal, in words; a date in the future is refused, the input kept.
    again = _register(chain)
    assert again.status_code == 400 and "registered with CoMensha from this signal" in (
        again.content.decode()
    )
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = _register(chain, person="", reported_on=tomorrow)
    assert future.status_code == 400 and tomorrow in future.content.decode()
    assert Registration.objects.count() == 1


def test_the_export_holds_no_name_contact_or_free_text(chain):
    _register(chain)
    comensha = signed_in(chain["analyst"])
    page = comensha.get("/pro/comensha/registrations/")
    export = comensha.get("/pro/comensha/registrations/export/")
    api = comensha.get("/api/v1/comensha/registrations/")
    assert page.status_code == export.status_code == api.status_code == 200

    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert len(rows) == 1
    registration = Registration.objects.get()
    assert rows[0]["pseudonym"] == registration.pseudonym
    assert rows[0]["nationality"] == "RO" and rows[0]["sector"] == "agriculture"
    assert api.json()["results"][0] == {**rows[0], "reference": str(registration.public_id)}
    signal = chain["signal"]
    for text in (page.content.decode(), export.content.decode(), api.content.decode()):
        for secret in (NAME, "Secretescu", PHONE, "0612345678", EMAIL, DESCRIPTION, CONTACT):
            assert secret not in text
        assert str(signal.public_id) not in text
        assert str(chain["person"].public_id) not in text
    # Every column is a code, a date or an organisation's name: nothing anyone wrote in words.
    assert set(rows[0]) == {
        "reference",
        "pseudonym",
        "reported_on",
        "form",
        "sector",
        "nationality",
        "age_group",
        "gender",
        "reporter_kind",
        "area",
        "legal_basis",
        "registered_on",
        "registered_by_organisation",
    }
    assert AccessLogEntry.objects.filter(
        user=chain["analyst"], action=AccessLogEntry.Action.EXPORT
    ).exists()


def test_only_comensha_reads_the_registrations(chain):
    _register(chain)
    for user in ("coordinator", "provider"):
        client = signed_in(chain[user])
        assert client.get("/pro/comensha/registrations/").status_code == 404
        assert client.get("/pro/comensha/registrations/export/").status_code == 404
        assert client.get("/api/v1/comensha/registrations/").status_code == 404
    bad = signed_in(chain["analyst"]).get(
        "/pro/comensha/registrations/", {"since": "2025-02-01", "until": "2025-01-01"}
    )
    assert bad.status_code == 400 and "2025-02-01" in bad.content.decode()


def test_the_same_person_has_one_pseudonym_and_counts_once(chain):
    _register(chain)
    other_signal = SignalFactory(region=chain["signal"].region)
    other_signal.forms.add(chain["signal"].forms.get())
    same_person = PersonFactory(signal=other_signal, name=NAME, date_of_birth=BORN)
    stranger = PersonFactory(signal=other_signal, name="Iemand Anders")
    from coordination.registration_services import register_victim

    common = {
        "by": chain["coordinator"],
        "form": chain["signal"].forms.get(),
        "sector": Registration.Sector.AGRICULTURE,
        "nationality": "",
        "age_group": Registration.AgeGroup.UNKNOWN,
        "gender": Person.Gender.UNKNOWN,
        "reporter_kind": "police",
        "region": chain["signal"].region,
        "reported_on": timezone.localdate(),
        "legal_basis": Share.LegalBasis.PUBLIC_TASK,
    }
    # The other signal is handled by the same coordinators (same area).
    from access.services import grant_coordinator_access

    grant_coordinator_access(other_signal, organisation_ids=[chain["coordination"].pk])
    again = register_victim(other_signal, person=same_person, **common)
    other = register_victim(other_signal, person=stranger, **common)
    first = Registration.objects.get(signal=chain["signal"])
    assert again.pseudonym == first.pseudonym != other.pseudonym
    assert registrations_by_form_and_sector() == [
        {"form": "labour", "form_name": "Arbeidsuitbuiting", "sector": "agriculture", "count": 2}
    ]


# Fallback


def test_comensha_coordinates_an_area_without_a_coordinator(chain):
    signal = SignalFactory(
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=Municipality.objects.get(code="GM0599"),  # Rotterdam: nobody of its own
    )
    triage_signal(signal.pk)
    comensha = signed_in(chain["placer"])
    assert comensha.get(f"/pro/queue/{signal.public_id}/").status_code == 200
    assert str(signal.public_id)[:8] in comensha.get("/pro/queue/").content.decode()
