"""Public reports are linked too: the identifiers written in a reporter's words, and those given in
the step about the person involved, are stored as a professional's intake stores them, so that the
same phone number links a public report with a professional signal however it is written."""

import time
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coordination.models import Connection
from coordination.services import link_signal, link_unlinked_signals
from devstack.worker import wait_for
from intake.public.services import PublicReport, receive_public_report
from organisations.models import Membership
from regions.models import Municipality, Region
from signals import receipts
from signals.identifiers import FOUND_PER_KIND, find_identifiers, phone_key
from signals.models import PhoneNumber, Signal
from tests.factories import CoordinationFactory, PersonFactory, PhoneNumberFactory
from tests.helpers import member_of, signed_in, triaged_signal_in
from triage.services import triage_signal


def test_each_kind_of_identifier_is_found_in_free_text_and_normalised():
    found = find_identifiers(
        "Hij belt vanaf 06-12345678 en mailt als Baas@Voorbeeld.NL. Advertentie op "
        "https://www.Werk-Snel.nl/vacature?id=7, betaling naar NL91 ABNA 0417 1643 00, "
        "rijdt in een bus 12-abc-3. Ook op werk-direct.com."
    )
    assert found.phones == [("06-12345678", "+31612345678")]
    assert found.emails == [("Baas@Voorbeeld.NL", "baas@voorbeeld.nl")]
    assert found.websites == [
        ("https://www.Werk-Snel.nl/vacature?id=7", "werk-snel.nl"),
        ("werk-direct.com", "werk-direct.com"),
    ]
    assert found.ibans == [("NL91 ABNA 0417 1643 00", "NL91ABNA0417164300")]
    assert found.plates == [("12-abc-3", "12ABC3")]


def test_what_only_looks_like_an_identifier_is_not_taken():
    found = find_identifiers(
        "Op 12-05-2024 om 14:30 kwamen 3 mannen. Bestand gnp.exe en foto.png. "
        "Rekening NL00 ABNA 0417 1643 00 klopt niet. Nummer 12345 en 06-123."
    )
    assert found == find_identifiers("")


def test_an_account_number_is_not_read_as_a_phone_number():
    found = find_identifiers("IBAN NL91ABNA0417164300, mail jan@06-12345678.nl")
    assert found.phones == []
    assert found.ibans == [("NL91ABNA0417164300", "NL91ABNA0417164300")]
    assert found.websites == []


def test_finding_is_bounded_and_fast_on_hostile_text():
    many = " ".join(f"06-1234{n:04d}" for n in range(100))
    assert len(find_identifiers(many).phones) == FOUND_PER_KIND
    hostile = ("a." * 5000) + ("1-" * 2000) + ("NL91 " * 1000) + ("x@" * 2000)
    started = time.monotonic()
    find_identifiers(hostile[:10_000])
    assert time.monotonic() - started < 2


def _public_report(description: str, **answers) -> Signal:
    signal, _created = receive_public_report(
        PublicReport(
            language="nl",
            description=description,
            submission_key=uuid.uuid4(),
            receipt_code=receipts.new_code(),
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=Municipality.objects.get(code="GM0599"),
            **answers,
        )
    )
    return signal


def _professional_signal_with_phone(phone: str) -> Signal:
    signal = triaged_signal_in("GM0363", source=Signal.Source.PROFESSIONAL)
    person = PersonFactory(signal=signal)
    PhoneNumberFactory(person=person, raw=phone, number="+31612345678")
    return signal


@pytest.mark.django_db
def test_a_public_report_with_06_12345678_links_to_a_professional_signal_with_the_same_number(
    reference_data,
):
    professional = _professional_signal_with_phone("+31 6 1234 5678")
    public = _public_report("De man die de meisjes brengt belt steeds vanaf 06-12345678.")
    triage_signal(public.pk)

    stored = PhoneNumber.objects.get(person__signal=public)
    assert (stored.raw, stored.number, stored.number_key) == (
        "06-12345678",
        "+31612345678",
        phone_key("+31 6 1234 5678"),
    )
    assert link_signal(public.pk) == 1
    assert set(Connection.objects.values_list("signal", "other", "kind")) == {
        (public.pk, professional.pk, "phone"),
        (professional.pk, public.pk, "phone"),
    }


@pytest.mark.django_db
def test_the_step_about_the_person_involved_links_as_well(reference_data):
    professional = _professional_signal_with_phone("0612345678")
    public = _public_report(
        "Ze werken 's nachts in de kas.",
        involved_phone="+31612345678",
        involved_website="kas-werk.nl",
        involved_company="Kwekerij De Kas",
    )
    assert link_signal(public.pk) == 1
    assert Connection.objects.filter(signal=public, other=professional).exists()
    assert public.websites.get().domain == "kas-werk.nl"
    assert public.locations.get().description == "Kwekerij De Kas"


@pytest.mark.django_db
def test_the_sweeper_links_public_reports_left_unlinked(reference_data, monkeypatch):
    public = _public_report("Bel 06-12345678.")
    professional = triaged_signal_in("GM0363", source=Signal.Source.PROFESSIONAL)
    Signal.objects.filter(pk__in=[public.pk, professional.pk]).update(
        linked_at=None, created_at=timezone.now() - timedelta(minutes=10)
    )
    queued = []
    monkeypatch.setattr("coordination.tasks.link_signal.delay", queued.append)
    assert link_unlinked_signals() == 2
    assert set(queued) == {public.pk, professional.pk}


@pytest.mark.django_db(transaction=True)
def test_a_received_public_report_is_linked_by_the_worker_and_shown_on_both_case_pages(
    reference_data, celery_worker
):
    amsterdam, rotterdam = Region.objects.get(code="AMS"), Region.objects.get(code="RTM")
    coordinator_a = member_of(
        CoordinationFactory(region=amsterdam, email="zc-a@example.nl"),
        Membership.Role.COORDINATOR,
    )
    # The card shows the other area's published contact.
    rotterdam.contacts.update(phone="010 123 45 67", email="zorgcoordinatie@rotterdam.example.nl")
    professional = _professional_signal_with_phone("+31 6 1234 5678")
    public = _public_report("Hij belt vanaf 06-12345678.")
    wait_for(lambda: Connection.objects.filter(signal=public, other=professional).exists())
    wait_for(lambda: Signal.objects.get(pk=public.pk).region == rotterdam)

    # Amsterdam sees that Rotterdam has a connected signal: when, its reference, and whom to call.
    page = signed_in(coordinator_a).get(reverse("coordination:case", args=[professional.public_id]))
    text = page.content.decode()
    reference = public.public_id.hex[:8]
    assert "A connected signal exists in region Municipality of Rotterdam" in text
    assert reference in text and "010 123 45 67" in text
    assert "zorgcoordinatie@rotterdam.example.nl" in text
    assert timezone.localtime(public.created_at).strftime("%m/%d/%Y") in text
    assert "Hij belt" not in text
