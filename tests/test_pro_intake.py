"""The professional intake at /pro/signals/new/: submit, drafts, bad input, the list and details."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from access.models import AccessLogEntry
from access.permissions import CONTRIBUTE, VIEW
from access.selectors import can
from devstack.worker import wait_for
from organisations.models import Membership, Organisation
from organisations.services import add_member
from regions.models import Region
from signals import identifiers
from signals.models import (
    Person,
    Signal,
    SignalEvent,
)
from tests.factories import (
    ExploitationFormFactory,
    IndicatorCategoryFactory,
    IndicatorFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.helpers import INTAKE_SECTIONS, english_client, login_professional

Role = Membership.Role


@pytest.fixture
def taxonomy(db):
    labour = ExploitationFormFactory(code="labour", name="Labour exploitation")
    ExploitationFormFactory(code="sexual", name="Sexual exploitation")
    freedom = IndicatorCategoryFactory(code="freedom", name="Restricted freedoms")
    papers = IndicatorFactory(
        code="no-papers", category=freedom, name="No own ID papers", forms=[labour]
    )
    dependency = IndicatorCategoryFactory(code="dependency", name="Dependency", order=1)
    IndicatorFactory(code="debt", category=dependency, name="Debt to employer", weight=3)
    return labour, papers


@pytest.fixture
def police(db):
    return OrganisationFactory(name="Politie AVIM", kind=Organisation.Kind.POLICE)


@pytest.fixture
def professional(police):
    user = UserFactory(email="agent@politie.test")
    add_member(police, user=user, roles=[Role.PROFESSIONAL])
    return user


@pytest.fixture
def client(professional):
    client = english_client()
    login_professional(client, professional)
    return client


def form_data(organisation, *, action="submit", key=None, **overrides):
    """What the browser posts for a complete intake with one row in every list."""
    data = {
        "action": action,
        "submission_key": str(key or uuid.uuid4()),
        "organisation": str(organisation.pk),
        "own_reference": "PL-2026-0042",
        "is_urgent": "",
        "involves_minor": "no",
        "victim_consent": "agrees",
        "description": "Six workers sleep in the greenhouse; the boss keeps their passports.",
        "persons-0-role": "possible_victim",
        "persons-0-name": "Ana",
        "persons-0-date_of_birth": "1999-04-02",
        "persons-0-gender": "female",
        "persons-0-nationality": "Romanian",
        "persons-0-language": "Romanian",
        "persons-0-phone_numbers": "06 12345678\n+40 721 234 567",
        "persons-0-email": " Ana.P@Example.RO ",
        "persons-0-postcode": "1012 ab",
        "persons-0-house_number": "5-a",
        "locations-0-kind": "workplace",
        "locations-0-municipality": "Westland",
        "locations-0-description": "Greenhouse",
        "vehicles-0-plate": "12-abc-3",
        "vehicles-0-country": "nl",
        "websites-0-url": "https://www.Example-Jobs.nl/vacature/1",
        "bank_accounts-0-iban": "nl91 abna 0417 1643 00",
        "bank_accounts-0-holder": "B. Oss",
    }
    for section in INTAKE_SECTIONS:
        data.setdefault(f"{section}-TOTAL_FORMS", "1")
        data.setdefault(f"{section}-INITIAL_FORMS", "0")
    data.update(overrides)
    return data


@pytest.mark.django_db(transaction=True)
def test_a_submitted_signal_is_stored_normalised_granted_and_triaged(
    celery_worker, reference_data, taxonomy, police, professional, client
):
    labour, papers = taxonomy
    data = form_data(police, exploitation_forms=[str(labour.pk)], indicators=[str(papers.pk)])

    response = client.post("/pro/signals/new/", data)

    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pro/signals/{signal.public_id}/"
    assert (signal.source, signal.submitted_by, signal.created_by) == (
        Signal.Source.PROFESSIONAL,
        police,
        professional,
    )
    assert signal.municipality.name == "Westland"
    assert list(signal.forms.all()) == [labour]
    assert list(signal.indicators.all()) == [papers]
    person = signal.persons.get()
    assert sorted(person.phone_numbers.values_list("number", flat=True)) == [
        "+31612345678",
        "+40721234567",
    ]
    # Identifiers are kept as blind indexes of their normalised form.
    assert (person.email_key, person.address_key) == (
        identifiers.email_key("ana.p@example.ro"),
        identifiers.address_hash("1012AB", "5A"),
    )
    assert signal.vehicles.get().plate == "12ABC3"
    assert signal.bank_accounts.get().iban == "NL91ABNA0417164300"
    assert signal.websites.get().domain == "example-jobs.nl"
    assert can(professional, VIEW, signal)
    assert can(professional, CONTRIBUTE, signal)
    # The real worker triages it into the region of Westland (Haaglanden).
    wait_for(lambda: Signal.objects.get(pk=signal.pk).status == Signal.Status.TRIAGED)
    signal.refresh_from_db()
    assert signal.region == Region.objects.get(municipalities__name="Westland")

    # Submitting the same form again (a double click) gives no second signal.
    client.post("/pro/signals/new/", data)
    assert Signal.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_draft_is_not_triaged_and_is_finished_later(
    celery_worker, reference_data, taxonomy, police, professional, client
):
    key = uuid.uuid4()
    data = form_data(police, action="draft", key=key, description="")
    response = client.post("/pro/signals/new/", data)

    draft = Signal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pro/signals/{draft.public_id}/edit/"
    assert draft.status == Signal.Status.DRAFT
    assert not draft.events.exists()
    assert not can(professional, VIEW, draft)

    listing = client.get("/pro/signals/").content.decode()
    assert "Your drafts" in listing
    assert f"/pro/signals/{draft.public_id}/edit/" in listing

    # Resuming shows everything that was saved, as typed.
    page = client.get(f"/pro/signals/{draft.public_id}/edit/").content.decode()
    assert "PL-2026-0042" in page
    assert "+40 721 234 567" in page
    assert "nl91 abna 0417 1643 00" in page
    assert 'value="Westland"' in page

    # Submitting the draft without an account is refused; with one it is received.
    refused = client.post(f"/pro/signals/{draft.public_id}/edit/", {**data, "action": "submit"})
    assert refused.status_code == 400
    assert "Describe what you saw or heard" in refused.content.decode()
    finished = {**data, "action": "submit", "description": "Seen at the greenhouse."}
    response = client.post(f"/pro/signals/{draft.public_id}/edit/", finished)
    assert response.status_code == 302
    wait_for(lambda: Signal.objects.get(pk=draft.pk).status == Signal.Status.TRIAGED)
    signal = Signal.objects.get()
    assert signal.pk == draft.pk
    assert signal.persons.count() == 1
    assert signal.events.filter(kind=SignalEvent.Kind.RECEIVED).count() == 1
    # Submitted now, so the triage deadline counts from now, not from when the draft began.
    assert timezone.now() - signal.created_at < timedelta(minutes=1)
    assert client.get(f"/pro/signals/{draft.public_id}/edit/").status_code == 404


@pytest.mark.django_db
def test_bad_input_keeps_every_field_and_explains_next_to_it(
    reference_data, police, professional, client
):
    too_long = "x" * 10_001
    data = form_data(
        police,
        description=too_long,
        **{
            "persons-TOTAL_FORMS": "2",
            "persons-0-phone_numbers": "12345",
            "persons-0-date_of_birth": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "persons-1-role": "suspect",
            "persons-1-name": "The boss",
            "persons-1-date_of_birth": "1890-01-01",
            "locations-0-municipality": "Gotham",
            "vehicles-0-plate": "ABCDEFG",
            "bank_accounts-0-iban": "NL91ABNA0417164301",
        },
    )

    response = client.post("/pro/signals/new/", data)

    page = response.content.decode()
    assert response.status_code == 400
    assert not Signal.objects.exists()
    for message in [
        "“12345” is not a valid phone number",
        "A date of birth cannot be in the future.",
        "A date of birth more than 120 years ago is not possible.",
        "“Gotham” is not a Dutch place or municipality",
        "“ABCDEFG” is not a valid licence plate.",
        "“NL91ABNA0417164301” is not a valid IBAN",
        "Ensure this value has at most 10000 characters",
    ]:
        assert message in page, message
    # Every answer is still there, in both person rows too.
    for kept in ["PL-2026-0042", "The boss", "1890-01-01", "Gotham", "ABCDEFG", "B. Oss", "Ana"]:
        assert kept in page, kept
    assert page.count("form-field--invalid") >= 7


@pytest.mark.django_db
def test_add_another_row_keeps_what_was_typed(reference_data, police, client):
    data = form_data(police, action="add-persons")

    response = client.post("/pro/signals/new/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="persons-1-name"' in page
    assert 'value="Ana"' in page
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_an_empty_extra_row_and_a_deleted_row_are_not_stored(reference_data, police, client):
    data = form_data(
        police,
        **{
            "persons-TOTAL_FORMS": "3",
            "persons-1-role": "suspect",
            "persons-1-name": "Removed again",
            "persons-1-DELETE": "on",
            "persons-2-role": "possible_victim",
            "persons-2-gender": "unknown",
        },
    )

    assert client.post("/pro/signals/new/", data).status_code == 302
    assert list(Person.objects.values_list("name", flat=True)) == ["Ana"]


@pytest.mark.django_db
def test_a_member_of_several_organisations_chooses_and_others_are_refused(
    reference_data, police, professional, client
):
    inspectorate = OrganisationFactory(
        name="Arbeidsinspectie", kind=Organisation.Kind.LABOUR_INSPECTORATE
    )
    add_member(inspectorate, user=professional, roles=[Role.PROFESSIONAL])
    elsewhere = OrganisationFactory(name="Elsewhere", kind=Organisation.Kind.POLICE)

    page = client.get("/pro/signals/new/").content.decode()
    assert "Arbeidsinspectie" in page
    assert "Politie AVIM" in page

    response = client.post("/pro/signals/new/", form_data(elsewhere))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert client.post("/pro/signals/new/", form_data(inspectorate)).status_code == 302
    assert Signal.objects.get().submitted_by == inspectorate


@pytest.mark.django_db
def test_details_are_logged_and_information_can_be_added(
    reference_data, police, professional, client
):
    client.post("/pro/signals/new/", form_data(police))
    signal = Signal.objects.get()

    page = client.get(f"/pro/signals/{signal.public_id}/").content.decode()
    assert "+31612345678" in page
    assert "NL91ABNA0417164300" in page
    assert "New" in page
    assert AccessLogEntry.objects.filter(
        user=professional, signal=signal, action=AccessLogEntry.Action.VIEW
    ).exists()

    empty = client.post(f"/pro/signals/{signal.public_id}/add/", {"text": ""})
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    response = client.post(
        f"/pro/signals/{signal.public_id}/add/", {"text": "She called again from a new number."}
    )
    assert response.status_code == 302
    page = client.get(f"/pro/signals/{signal.public_id}/").content.decode()
    assert "She called again from a new number." in page
    assert signal.additions.get().organisation == police


@pytest.mark.django_db
def test_the_list_shows_drafts_on_top_then_signals_newest_first(
    reference_data, police, professional, client
):
    client.post("/pro/signals/new/", form_data(police, own_reference="OLDER"))
    client.post("/pro/signals/new/", form_data(police, own_reference="NEWER"))
    client.post("/pro/signals/new/", form_data(police, own_reference="MY-DRAFT", action="draft"))
    colleague = UserFactory(email="colleague@politie.test")
    add_member(police, user=colleague, roles=[Role.PROFESSIONAL])

    page = client.get("/pro/signals/").content.decode()
    assert page.index("MY-DRAFT") < page.index("NEWER") < page.index("OLDER")
    assert page.count("New</span>") == 2

    # A colleague sees the organisation's signals, not someone else's draft.
    other = english_client()
    login_professional(other, colleague)
    page = other.get("/pro/signals/").content.decode()
    assert "NEWER" in page
    assert "MY-DRAFT" not in page
    draft = Signal.objects.get(status=Signal.Status.DRAFT)
    assert other.get(f"/pro/signals/{draft.public_id}/edit/").status_code == 404


def _png(name="photo.png"):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    output = BytesIO()
    Image.new("RGB", (8, 8), "red").save(output, format="PNG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_attachments_are_checked_and_stored_with_the_signal(reference_data, police, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("passport.jpg", b"not really a photo", content_type="image/jpeg")
    refused = client.post("/pro/signals/new/", {**form_data(police), "attachments": [fake]})
    assert refused.status_code == 400
    assert "“passport.jpg” is not a photo (JPEG or PNG) or a PDF file" in refused.content.decode()
    assert not Signal.objects.exists()

    broken = form_data(police, **{"vehicles-0-plate": "nope"})
    refused = client.post("/pro/signals/new/", {**broken, "attachments": [_png()]})
    assert "Your files were not saved because of the other errors" in refused.content.decode()

    response = client.post("/pro/signals/new/", {**form_data(police), "attachments": [_png()]})
    assert response.status_code == 302
    attachment = Signal.objects.get().attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("photo.png", "image/png")
    assert "photo.png" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_the_list_is_paginated(police, client):
    from access.services import grant_submitter_access
    from intake.professional.views import PAGE_SIZE
    from tests.factories import SignalFactory

    for number in range(PAGE_SIZE + 1):
        signal = SignalFactory(
            source=Signal.Source.PROFESSIONAL, submitted_by=police, own_reference=f"REF-{number}"
        )
        grant_submitter_access(signal, organisation=police)

    first = client.get("/pro/signals/").content.decode()
    second = client.get("/pro/signals/?page=2").content.decode()
    assert first.count("New</span>") == PAGE_SIZE
    assert "Page 1 of 2" in first
    assert second.count("New</span>") == 1


@pytest.mark.django_db
def test_a_company_is_taken_in_with_its_kvk_number_checked(reference_data, police, client):
    data = form_data(
        police,
        **{
            "persons-0-role": "employer",
            "companies-0-name": "Kas Westland BV",
            "companies-0-kvk_number": "1234567",
            "companies-0-sector": "A",
            "companies-0-postcode": "2671 AB",
            "companies-0-house_number": "3",
        },
    )
    response = client.post("/pro/signals/new/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "“1234567” is not a KvK number (eight digits, e.g. 12345678)." in page
    assert "Kas Westland BV" in page

    data["companies-0-kvk_number"] = "1234 5678"
    assert client.post("/pro/signals/new/", data).status_code == 302
    signal = Signal.objects.get()
    company = signal.companies.get()
    assert (company.name, company.kvk_number, company.sector) == (
        "Kas Westland BV",
        "12345678",
        "A",
    )
    assert company.kvk_key and company.address_key
    assert signal.persons.get().role == "employer"
