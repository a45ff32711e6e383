"""Safe contact and the victim's wishes: asked by both intakes, shown on the case page next to
every way to contact someone and on the share and status forms; acting against the victim's
wish about the police or immigration needs a recorded reason, unless a minor or danger now."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from access.models import Share
from coordination.services import move_signal, share_with_organisation
from organisations.models import Organisation
from signals.models import Person, Signal, SignalEvent
from tests.factories import OrganisationFactory
from tests.helpers import login_professional, member_of, signed_in
from tests.test_pro_intake import form_data
from tests.test_public_report import REPORT, STEPS, post_step, send

pytestmark = pytest.mark.django_db


def test_a_reporter_who_agrees_to_contact_says_how_it_is_safe(reporter, reference_data):
    post_step(reporter, "what", description="I work every day and cannot leave.")
    post_step(reporter, "who", minor="no", wants_police="no", wants_immigration="no")
    for step in STEPS[4:-1]:
        post_step(reporter, step)
    page = reporter.get(REPORT).content.decode()
    assert "How may we contact you?" in page and "Do you need an interpreter when you talk" in page
    # E-mail as the way, without an address: said at the field, the answers kept.
    response = post_step(
        reporter,
        "contact",
        contact="contact",
        phone="06 12345678",
        consent="on",
        contact_channel="email",
        contact_times=["evening"],
        contact_voicemail="no",
    )
    assert response.status_code == 200
    assert "for the way you chose to be contacted" in response.content.decode()
    post_step(
        reporter,
        "contact",
        contact="contact",
        phone="06 12345678",
        consent="on",
        contact_channel="text",
        contact_times=["morning", "evening"],
        contact_voicemail="no",
        contact_sms="yes",
        contact_language="ro",
        interpreter="phone",
    )
    summary = reporter.get(REPORT).content.decode()
    assert "Text message (SMS)" in summary
    assert "Morning (8–12), Evening (17–21)" in summary  # noqa: RUF001
    send(reporter)
    signal = Signal.objects.get()
    assert (signal.contact_phone, signal.contact_channel) == ("+31612345678", "text")
    assert signal.contact_times == ["morning", "evening"]
    assert (signal.contact_voicemail, signal.contact_sms) == (False, True)
    assert (signal.contact_language, signal.contact_interpreter) == ("ro", True)
    assert (signal.victim_wants_police, signal.victim_wants_immigration) == ("no", "no")


def test_an_anonymous_reporter_leaves_no_contact_wishes(reporter, reference_data):
    post_step(reporter, "what", description="Seen at the car wash.")
    for step in STEPS[1:-1]:
        post_step(reporter, step)
    post_step(
        reporter, "contact", contact="anonymous", contact_channel="call", contact_voicemail="no"
    )
    send(reporter)
    signal = Signal.objects.get()
    assert not signal.has_contact_wishes
    assert signal.victim_wants_police == Signal.Wish.UNKNOWN


def test_a_professional_records_a_victims_safe_contact_and_wishes(reference_data):
    police_organisation = OrganisationFactory(name="Politie AVIM", kind=Organisation.Kind.POLICE)
    pro_client = signed_in(member_of(police_organisation, "professional"))
    data = form_data(
        police_organisation,
        victim_wants_police="yes",
        victim_wants_immigration="no",
        **{
            "persons-0-contact_channel": "via_submitter",
            "persons-0-contact_times": ["afternoon"],
            "persons-0-contact_voicemail": "no",
            "persons-0-contact_sms": "",
            "persons-0-contact_language": "ro",
            "persons-0-contact_interpreter": "yes",
        },
    )
    assert pro_client.post("/pro/signals/new/", data).status_code == 302
    signal = Signal.objects.get()
    assert (signal.victim_wants_police, signal.victim_wants_immigration) == ("yes", "no")
    person = Person.objects.get(signal=signal)
    assert person.contact_channel == "via_submitter"
    assert person.contact_times == ["afternoon"]
    assert (person.contact_voicemail, person.contact_sms, person.contact_interpreter) == (
        False,
        None,
        True,
    )
    # A draft shows the wishes again as they were given.
    data = form_data(police_organisation, action="draft", **{"persons-0-contact_voicemail": "no"})
    pro_client.post("/pro/signals/new/", data)
    draft = Signal.objects.get(status=Signal.Status.DRAFT)
    page = pro_client.get(f"/pro/signals/{draft.public_id}/edit/").content.decode()
    assert '<option value="no" selected>' in page


def _case(signal):
    return reverse("coordination:case", args=[signal.public_id])


def test_the_case_page_shows_the_wishes_next_to_every_contact(world):
    signal = world.signal_a
    Signal.objects.filter(pk=signal.pk).update(
        source=Signal.Source.PUBLIC,
        contact_phone="+31612345678",
        contact_channel="call",
        contact_times=["evening"],
        contact_voicemail=False,
        victim_wants_police="no",
    )
    person = signal.persons.first()
    person.contact_channel = "via_submitter"
    person.contact_sms = False
    person.save()
    page = signed_in(world.coordinator_x).get(_case(signal)).content.decode()
    contact = page.split('id="part-contact"')[1].split("</section>")[0]
    assert "Safe contact: follow these wishes" in contact
    assert "Evening (17–21)" in contact and "not allowed" in contact  # noqa: RUF001
    people = page.split('id="part-people"')[1].split('id="part-contact"')[0]
    assert "Only through the organisation that reported" in people
    conversation = page.split('id="part-conversation"')[1]
    assert conversation.index("Safe contact") < conversation.index("Send to the reporter")
    # The victim's wish about the police, in the summary, at the share form and the status form.
    assert page.count('class="victim-wants-police">Does not want them involved') == 3
    assert page.count("Acting against their wish needs a recorded reason.") == 3


@pytest.fixture
def team(db):
    return OrganisationFactory(name="Politie Team Mensenhandel", kind=Organisation.Kind.POLICE)


def _share(world, team, **extra):
    return share_with_organisation(
        world.signal_a,
        by=world.coordinator_x,
        organisation=team,
        legal_basis=Share.LegalBasis.LEGAL_OBLIGATION,
        purpose="Onderzoek",
        ends_on=timezone.localdate() + timedelta(days=30),
        **extra,
    )


def test_sharing_with_the_police_against_the_wish_needs_a_recorded_reason(world, team):
    Signal.objects.filter(pk=world.signal_a.pk).update(victim_wants_police="no")
    world.signal_a.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _share(world, team)
    assert "against_wishes_reason" in refused.value.message_dict
    assert not Share.objects.filter(organisation=team).exists()

    _share(world, team, against_wishes_reason="Other victims at the same address.")
    event = SignalEvent.objects.get(signal=world.signal_a, kind=SignalEvent.Kind.SHARED)
    assert event.detail["against_wishes"] == ["police"]
    assert event.detail["against_wishes_reason"] == "Other victims at the same address."
    history = signed_in(world.coordinator_x).get(_case(world.signal_a)).content.decode()
    assert "Against the possible victim&#x27;s wish: Other victims at the same address." in history

    # Another organisation than the police or immigration: no reason asked.
    care = OrganisationFactory(name="Zorg", kind=Organisation.Kind.HEALTH_CARE)
    _share(world, care)


@pytest.mark.parametrize("exception", ["is_urgent", "involves_minor"])
def test_a_minor_or_danger_now_needs_no_reason(world, team, exception):
    Signal.objects.filter(pk=world.signal_a.pk).update(
        victim_wants_police="no", victim_wants_immigration="no", **{exception: True}
    )
    world.signal_a.refresh_from_db()
    _share(world, team)
    kmar = OrganisationFactory(name="KMar", kind=Organisation.Kind.KMAR)
    _share(world, kmar)
    event = SignalEvent.objects.filter(signal=world.signal_a, kind=SignalEvent.Kind.SHARED).last()
    assert event.detail["against_wishes"] == ["police", "immigration"]
    assert event.detail["against_wishes_exception"] == {"is_urgent": "danger"}.get(
        exception, "minor"
    )


def test_a_referral_to_the_police_against_the_wish_needs_a_reason_on_the_form(world):
    signal = world.signal_a
    Signal.objects.filter(pk=signal.pk).update(
        victim_wants_police="no", status=Signal.Status.IN_PROGRESS
    )
    client = signed_in(world.coordinator_x)
    url = reverse("coordination:move", args=[signal.public_id])
    response = client.post(url, {"to_status": "referred_police", "reason": "Aangifte"})
    assert response.status_code == 400
    assert "Record why you act against their wish." in response.content.decode()
    assert Signal.objects.get(pk=signal.pk).status == Signal.Status.IN_PROGRESS
    response = client.post(
        url,
        {
            "to_status": "referred_police",
            "reason": "Aangifte",
            "against_wishes_reason": "The suspect threatens others too.",
        },
    )
    assert response.status_code == 302
    assert Signal.objects.get(pk=signal.pk).status == Signal.Status.REFERRED_POLICE
    # Another status does not touch the wish.
    Signal.objects.filter(pk=signal.pk).update(status=Signal.Status.IN_PROGRESS)
    move_signal(signal, by=world.coordinator_x, to_status="care_arranged", reason="Opvang")


def test_the_api_share_shows_the_answer_and_asks_the_reason(world, team):
    Signal.objects.filter(pk=world.signal_a.pk).update(victim_wants_police="no")
    client = APIClient(headers={"accept-language": "en"})
    login_professional(client, world.coordinator_x)
    url = reverse("api:signal_share", args=[world.signal_a.public_id])
    body = {
        "organisation": str(team.public_id),
        "legal_basis": "legal_obligation",
        "purpose": "Onderzoek",
        "ends_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    refused = client.post(url, body, format="json")
    assert refused.status_code == 400
    assert "against_wishes_reason" in refused.content.decode()
    shared = client.post(url, {**body, "against_wishes_reason": "Acute risk"}, format="json")
    assert shared.status_code == 201
    assert shared.json()["victim_wants_police"] == "no"
    detail = client.get(reverse("api:signal", args=[world.signal_a.public_id])).json()
    assert detail["victim_wants_police"] == "no"
    assert detail["shares"][0]["victim_wants_immigration"] == "unknown"


@pytest.mark.parametrize(
    ("channel", "says", "link"),
    [
        ("text", "by text message only, in Romanian. Do not call them.", 'href="sms:+31612345678"'),
        ("email", "by e-mail, in Romanian.", "reporter@example.org"),
    ],
)
def test_the_contact_part_follows_the_way_and_language_the_reporter_chose(
    world, channel, says, link
):
    """A reporter who left a phone number but asked for text messages or e-mail, in another
    language than the report's, is not told to the coordinator as someone to call back."""
    signal = world.signal_a
    Signal.objects.filter(pk=signal.pk).update(
        source=Signal.Source.PUBLIC,
        language="en",
        contact_phone="+31612345678",
        contact_email="reporter@example.org",
        contact_channel=channel,
        contact_language="ro",
    )
    page = signed_in(world.coordinator_x).get(_case(signal)).content.decode()
    contact = page.split('id="part-contact"')[1].split("</section>")[0]
    assert says in " ".join(contact.split())
    assert link in contact
    assert "called back" not in contact and "tel:" not in contact
    assert "in English" not in contact


@pytest.mark.parametrize(
    ("answer", "needed", "summary"),
    [("", None, "Not answered"), ("no", False, "No"), ("phone", True, "Yes, by phone")],
)
def test_the_interpreter_wish_is_kept_as_answered(
    reporter, reference_data, answer, needed, summary
):
    """Skipping the one interpreter question is not "no": the coordinator is not told that no
    interpreter is needed by someone who never said so."""
    post_step(reporter, "what", description="We sleep in the greenhouse.")
    for step in STEPS[1:-1]:
        post_step(reporter, step)
    post_step(
        reporter,
        "contact",
        contact="contact",
        phone="06 12345678",
        consent="on",
        interpreter=answer,
    )
    check = reporter.get(REPORT).content.decode()
    shown = re.search(r"<dt>Interpreter</dt>\s*<dd>(.*?)</dd>", check, re.S)[1]
    shown = re.sub(r"<[^>]+>", "", shown).strip()
    assert shown == summary or shown.startswith(f"{summary}: ")
    send(reporter)
    signal = Signal.objects.get()
    assert signal.contact_interpreter is needed
    assert signal.interpreter_requests.exists() is (answer == "phone")
