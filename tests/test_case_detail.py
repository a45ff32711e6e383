"""What each viewer sees of a signal, part by part, on every channel: the coordinator's case page,
the professional signal page and the API all show `coordination.selectors.case_detail`, so they
cannot drift apart.

The roles: the coordinator of the signal's region (C), the national desk for a signal without a
Dutch location (N), the organisation that submitted it (S), and an organisation it was only shared
with (R). The world holds every part twice, once in the area Politieregio Amsterdam and once at the
national desk; each role looks at the signals of its own half.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from access.models import Share
from coordination import services as coordination
from coordination.models import Connection
from coordination.selectors import CaseDetail, case_detail
from intake.professional.services import (
    ProfessionalReport,
    add_information,
    submit_professional_signal,
)
from intake.public.services import PublicReport, post_reporter_message, receive_public_report
from opvang.models import Offer, PlacementRequest
from organisations.models import Membership, Organisation
from regions.models import Municipality, Region
from regions.selectors import national_desk
from signals import receipts
from signals.models import Attachment, Signal
from tests.factories import IndicatorFactory
from tests.helpers import member_of, signed_in, triaged_signal_in
from triage.services import triage_signal

pytestmark = pytest.mark.django_db

# Who sees each part, per channel: the letters of the roles that see it, "." for one that does not.
# "detail" is what case_detail gives; the signal page shows every part the detail gives, the case
# page opens for the signal's handlers only, and the API gives the parts its schema has.
TABLE = """
part               detail  case  page  api
reasons            CN..    CN..  CN..  ....
description        CNSR    CN..  CNSR  CNSR
indicators         CNSR    CN..  CNSR  CNSR
persons            CNSR    CN..  CNSR  CNSR
contact            CN..    CN..  CN..  CN..
attachments        CNSR    CN..  CNSR  CNSR
additions          CNS.    CN..  CNS.  CNS.
questions          CNS.    CN..  CNS.  CNS.
answers            CNS.    CN..  CNS.  CNS.
messages           CN..    CN..  CN..  ....
interpreter        CN..    CN..  CN..  ....
notes              CN..    CN..  CN..  ....
shares             CN..    CN..  CN..  CN..
placements         CN..    CN..  CN..  ....
connections        CN..    CN..  CN..  ....
history            CN..    CN..  CN..  ....
merged-duplicates  CN..    CN..  CN..  ....
merged-into        CNSR    CN..  CNSR  CNSR
"""
ROLES = {"C": "coordinator", "N": "national desk", "S": "submitter", "R": "share recipient"}


def _table() -> dict[tuple[str, str, str], bool]:
    header, *rows = (line.split() for line in TABLE.strip().splitlines())
    channels = header[1:]
    return {
        (part, ROLES[letter], channel): seen[position] == letter
        for part, *columns in rows
        for channel, seen in zip(channels, columns, strict=True)
        for position, letter in enumerate(ROLES)
    }


EXPECTED = _table()
PARTS = sorted({part for part, _role, _channel in EXPECTED})

DESCRIPTION = "Workers sleep in the greenhouse at night."
PERSON = "Ana Marker-Person"
ATTACHMENT = "marker-attachment.txt"
ADDITION = "Marker: the boss came back with a van."
QUESTION = "Marker question: does she have her passport?"
ANSWER = "Marker answer: no, the boss keeps it."
NOTE = "Marker internal note of the coordinators."
MESSAGE = "Marker message of the reporter."
HISTORY = "Marker reason: spoke with the victim."
OFFER = "Marker Safe House"
DUPLICATE = "Marker duplicate: the same greenhouse, reported again."
CONNECTED = "A connected signal exists"
REASON = "no urgency, minor or heavy indicators"
INDICATOR_DUTCH = "Marker: geen eigen paspoort"
INDICATOR_CODE = "marker-no-own-passport"
REPORTER_PHONE = "+31687654321"
PURPOSE = "Marker purpose: joint inspection"


@dataclass(frozen=True)
class Part:
    on: str  # which signal of a half shows it: "signal", "duplicate" or "public"
    marker: Callable[[SimpleNamespace], str]  # the text that shows it on a page or in the API
    in_detail: Callable[[CaseDetail, SimpleNamespace], bool]
    api_marker: str = ""  # where the API shows it otherwise than the pages (a code for a name)


def _texts(rows, attribute: str) -> list[str]:
    return [getattr(row, attribute) for row in rows]


HOW = {
    "reasons": Part(
        "signal",
        lambda h: REASON,
        lambda d, h: any(REASON in reason["message"] for reason in d.priority_reasons),
    ),
    "indicators": Part(
        "signal",
        lambda h: INDICATOR_DUTCH,
        lambda d, h: [name for _category, name in d.indicators_in_dutch] == [INDICATOR_DUTCH],
        api_marker=INDICATOR_CODE,
    ),
    "contact": Part(
        "public",
        lambda h: REPORTER_PHONE,
        lambda d, h: d.reporter_contact is not None and d.reporter_contact.phone == REPORTER_PHONE,
    ),
    "shares": Part(
        "signal", lambda h: PURPOSE, lambda d, h: PURPOSE in _texts(d.shares, "purpose")
    ),
    "description": Part(
        "signal", lambda h: DESCRIPTION, lambda d, h: d.signal.description == DESCRIPTION
    ),
    "persons": Part(
        "signal", lambda h: PERSON, lambda d, h: PERSON in _texts(d.signal.persons.all(), "name")
    ),
    "attachments": Part(
        "signal",
        lambda h: ATTACHMENT,
        lambda d, h: ATTACHMENT in _texts(d.signal.attachments.all(), "original_name"),
    ),
    "additions": Part(
        "signal", lambda h: ADDITION, lambda d, h: _texts(d.additions, "text") == [ADDITION]
    ),
    "questions": Part(
        "signal", lambda h: QUESTION, lambda d, h: _texts(d.questions, "text") == [QUESTION]
    ),
    "answers": Part(
        "signal", lambda h: ANSWER, lambda d, h: _texts(d.questions, "answer") == [ANSWER]
    ),
    "notes": Part("signal", lambda h: NOTE, lambda d, h: _texts(d.notes, "body") == [NOTE]),
    "messages": Part(
        "public",
        lambda h: MESSAGE,
        lambda d, h: [line.message.body for line in d.conversation] == [MESSAGE],
    ),
    "interpreter": Part(
        "public",
        lambda h: 'class="interpreter-need"',
        lambda d, h: [r.language for r in d.interpreter_requests] == ["pl"],
    ),
    "connections": Part("signal", lambda h: CONNECTED, lambda d, h: len(d.connections) == 1),
    "placements": Part("signal", lambda h: OFFER, lambda d, h: len(d.placements) == 1),
    "history": Part(
        "signal",
        lambda h: HISTORY,
        lambda d, h: HISTORY in [event.detail.get("reason") for event in d.timeline],
    ),
    "merged-duplicates": Part(
        "signal",
        lambda h: DUPLICATE,
        lambda d, h: [m.signal for m in d.merged_duplicates] == [h.duplicate],
    ),
    "merged-into": Part(
        "duplicate",
        lambda h: str(h.signal.public_id),
        lambda d, h: d.merged_into == h.signal,
    ),
}


def _professional_signal(submitter: Organisation, user, municipality: str | None, **report):
    locations = (
        [{"kind": "workplace", "municipality": Municipality.objects.get(code=municipality)}]
        if municipality
        else []
    )
    signal = submit_professional_signal(
        ProfessionalReport(organisation=submitter, language="en", locations=locations, **report),
        user=user,
        submission_key=uuid.uuid4(),
    )
    triage_signal(signal.pk)
    return Signal.objects.get(pk=signal.pk)


def _share(signal: Signal, recipient: Organisation, handler) -> None:
    coordination.share_with_organisation(
        signal,
        by=handler,
        organisation=recipient,
        legal_basis=Share.LegalBasis.PUBLIC_TASK,
        purpose=PURPOSE,
        ends_on=timezone.localdate() + timedelta(days=30),
    )


def _half(handler, handler_organisation, world, municipality: str | None) -> SimpleNamespace:
    """A signal with every part, a duplicate merged into it and a public signal with a message,
    all handled by `handler` and shared with organisation R."""
    submitter, professional = world.submitter, world.professional
    signal = _professional_signal(
        submitter,
        professional,
        municipality,
        description=DESCRIPTION,
        persons=[{"role": "possible_victim", "name": PERSON, "phone_numbers": []}],
        indicators=[world.indicator],
    )
    attachment = Attachment(
        signal=signal, original_name=ATTACHMENT, content_type="text/plain", size=5, sha256="0" * 64
    )
    attachment.file.save("marker.txt", ContentFile(b"bytes"), save=False)
    attachment.save()
    add_information(signal, user=professional, text=ADDITION)
    question = coordination.ask_submitter(signal, by=handler, text=QUESTION)
    coordination.answer_question(question, by=professional, answer=ANSWER)
    coordination.add_note(signal, by=handler, body=NOTE)
    coordination.move_signal(
        signal, by=handler, to_status=Signal.Status.IN_PROGRESS, reason=HISTORY
    )
    PlacementRequest.objects.create(
        signal=signal,
        offer=world.offer,
        requested_by=handler,
        requesting_organisation=handler_organisation,
    )
    # Connected to a signal in another region: only that it exists is shown.
    connected = triaged_signal_in("GM0599")
    for one, other in ((signal, connected), (connected, signal)):
        Connection.objects.create(signal=one, other=other, kind="plate", value="marker-plate")
    duplicate = _professional_signal(submitter, professional, municipality, description=DUPLICATE)
    coordination.merge_signals(signal, duplicate, by=handler, reason="The same greenhouse.")
    public, _created = receive_public_report(
        PublicReport(
            language="en",
            description="Seen from the street.",
            submission_key=uuid.uuid4(),
            receipt_code=receipts.new_code(),
            location_kind="municipality" if municipality else "unknown",
            municipality=Municipality.objects.get(code=municipality) if municipality else None,
            contact_phone=REPORTER_PHONE,
            interpreter_language="pl",
            interpreter_mode="phone",
        )
    )
    triage_signal(public.pk)
    post_reporter_message(public, body=MESSAGE, language="en")
    for shared in (signal, duplicate, public):
        _share(shared, world.recipient, handler)
    return SimpleNamespace(
        signal=Signal.objects.get(pk=signal.pk),
        duplicate=Signal.objects.get(pk=duplicate.pk),
        public=Signal.objects.get(pk=public.pk),
    )


@pytest.fixture
def world(reference_data):
    amsterdam = Region.objects.get(code="AMS")
    coordination_x = Organisation.objects.create(name="ZC X", kind=Organisation.Kind.COORDINATOR)
    coordination_x.regions.add(amsterdam)
    desk = Organisation.objects.create(name="Desk", kind=Organisation.Kind.NATIONAL_DESK)
    desk.regions.add(national_desk())
    # Rotterdam's own coordinators, so that its signals go to them and not to the fallback.
    coordination_y = Organisation.objects.create(name="ZC Y", kind=Organisation.Kind.COORDINATOR)
    coordination_y.regions.add(Region.objects.get(code="RTM"))
    member_of(coordination_y, Membership.Role.COORDINATOR)
    submitter = Organisation.objects.create(name="Police A", kind=Organisation.Kind.POLICE)
    recipient = Organisation.objects.create(
        name="Inspectorate R", kind=Organisation.Kind.LABOUR_INSPECTORATE
    )
    provider = Organisation.objects.create(name="Shelter", kind=Organisation.Kind.SHELTER)
    world = SimpleNamespace(
        submitter=submitter,
        recipient=recipient,
        # Ticked in English; shown in Dutch on every page, whatever the reader's language.
        indicator=IndicatorFactory(
            code=INDICATOR_CODE, name=INDICATOR_DUTCH, name_en="Marker: no own passport"
        ),
        professional=member_of(submitter, Membership.Role.PROFESSIONAL),
        offer=Offer.objects.create(
            provider=provider,
            name=OFFER,
            kind=Offer.Kind.COSM,
            region=amsterdam,
            municipality=Municipality.objects.get(code="GM0363"),
            genders=["female"],
            total_places=4,
            free_places=1,
        ),
    )
    coordinator = member_of(coordination_x, Membership.Role.COORDINATOR)
    desk_coordinator = member_of(desk, Membership.Role.COORDINATOR)
    regional = _half(coordinator, coordination_x, world, "GM0363")
    national = _half(desk_coordinator, desk, world, None)
    assert national.signal.region == national_desk()
    world.viewers = {
        "coordinator": (coordinator, regional),
        "national desk": (desk_coordinator, national),
        "submitter": (world.professional, regional),
        "share recipient": (member_of(recipient, Membership.Role.PROFESSIONAL), regional),
    }
    return world


URLS = {
    "case": lambda signal: reverse("coordination:case", args=[signal.public_id]),
    "page": lambda signal: reverse("pro_signals:detail", args=[signal.public_id]),
    "api": lambda signal: reverse("api:signal", args=[signal.public_id]),
}


def _expected(role: str, channel: str) -> dict[str, bool]:
    return {part: EXPECTED[part, role, channel] for part in PARTS}


@pytest.mark.parametrize("role", ROLES.values())
def test_case_detail_gives_each_role_the_parts_its_rule_allows(world, role):
    user, half = world.viewers[role]
    details = {on: case_detail(user, getattr(half, on)) for on in ("signal", "duplicate", "public")}
    seen = {part: HOW[part].in_detail(details[HOW[part].on], half) for part in PARTS}
    assert seen == _expected(role, "detail")


@pytest.mark.parametrize("channel", list(URLS))
@pytest.mark.parametrize("role", ROLES.values())
def test_each_channel_shows_each_role_what_the_table_says(world, role, channel):
    user, half = world.viewers[role]
    client = signed_in(user)
    pages = {}
    for on in ("signal", "duplicate", "public"):
        response = client.get(URLS[channel](getattr(half, on)))
        assert response.status_code in (200, 404)
        pages[on] = response.content.decode() if response.status_code == 200 else ""
    seen = {part: _marker(part, half, channel) in pages[HOW[part].on] for part in PARTS}
    assert seen == _expected(role, channel)


def _marker(part: str, half: SimpleNamespace, channel: str) -> str:
    how = HOW[part]
    return how.api_marker if channel == "api" and how.api_marker else how.marker(half)


def test_a_share_recipient_never_sees_the_questions_to_the_submitter(world):
    """The drift this selector ended: the signal page showed them, the API did not."""
    user, half = world.viewers["share recipient"]
    client = signed_in(user)
    page = client.get(URLS["page"](half.signal)).content.decode()
    api = client.get(URLS["api"](half.signal)).json()
    assert DESCRIPTION in page and api["description"] == DESCRIPTION
    assert QUESTION not in page and ANSWER not in page
    assert api["questions"] == [] and api["additions"] == []


def test_the_history_names_regions_and_calls_a_transfer_a_transfer(world, settings):
    settings.TRANSFER_SENDER_READ_DAYS = 0
    user, half = world.viewers["coordinator"]
    rotterdam = Region.objects.get(code="RTM")
    receiving = Organisation.objects.create(name="ZC R", kind=Organisation.Kind.COORDINATOR)
    receiving.regions.add(rotterdam)
    receiver = member_of(receiving, Membership.Role.COORDINATOR)
    coordination.transfer_signal(half.signal, by=user, region=rotterdam, reason="Zij verhuisde")
    page = signed_in(receiver).get(URLS["case"](half.signal)).content.decode()
    history = page.split('class="timeline"')[1].split("</ol>")[0]
    assert "Transferred from Amsterdam police region to Municipality of Rotterdam" in history
    assert "Routed to Amsterdam police region" in history and "Zij verhuisde" in history
    assert "AMS" not in history and "RTM" not in history


def test_bidi_controls_in_what_people_wrote_are_shown_neutralised(world):
    user, half = world.viewers["coordinator"]
    attachment = half.signal.attachments.get()
    attachment.original_name = "invoice\u202egnp.exe"
    attachment.save()
    coordination.add_note(half.signal, by=user, body="See \u2066the file\u2069")
    page = signed_in(user).get(URLS["case"](half.signal)).content.decode()
    assert "\u202e" not in page and "\u2066" not in page and "\u2069" not in page
    assert "invoice\ufffdgnp.exe" in page
    assert f'dir="auto" lang="{half.signal.language}"' in page  # the description, and others


def test_bidi_controls_are_neutralised_in_holds_draft_files_and_the_access_log_too(world):
    from access.models import AccessLogEntry
    from access.services import log_action
    from intake.professional.services import ProfessionalReport, save_professional_draft
    from tests.factories import AttachmentFactory

    user, half = world.viewers["coordinator"]
    coordination.place_retention_hold(
        half.signal,
        by=user,
        reason="Court case \u202egnp.exe",
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    page = signed_in(user).get(URLS["case"](half.signal)).content.decode()
    assert "\u202e" not in page and "Court case \ufffdgnp.exe" in page

    # A file a professional attached to a draft, named to pose as a picture.
    draft = save_professional_draft(
        ProfessionalReport(organisation=world.submitter, language="nl", description="Draft"),
        user=world.professional,
        submission_key=uuid.uuid4(),
    )
    AttachmentFactory(signal=draft, original_name="photo\u202egnp.exe")
    form = signed_in(world.professional).get(reverse("pro_signals:edit", args=[draft.public_id]))
    assert form.status_code == 200
    assert "\u202e" not in form.content.decode()
    assert "photo\ufffdgnp.exe" in form.content.decode()

    # What a privacy officer typed and the log keeps (a reason, a request's purpose).
    officer = member_of(world.submitter, Membership.Role.PRIVACY_OFFICER)
    log_action(
        officer,
        signal=half.signal,
        action=AccessLogEntry.Action.ERASE,
        organisation=world.submitter,
        purpose="AVG-7 \u2066request\u2069",
        detail="Granted \u202etxt.exe",
    )
    log = signed_in(officer).get(reverse("access:log")).content.decode()
    assert not any(control in log for control in "\u202e\u2066\u2069")
    assert "Granted \ufffdtxt.exe" in log


def test_indicators_show_in_dutch_whatever_the_reader_or_reporter_language(world):
    user, half = world.viewers["submitter"]
    page = signed_in(user).get(URLS["page"](half.signal)).content.decode()
    assert INDICATOR_DUTCH in page and "Marker: no own passport" not in page
