"""The inbox: each event marks the case unread for the people responsible, the menu counts it, the
queue filters it, reading the case clears it, and one batched digest mail per person tells of it
without any personal data. The world is tests/world.py's: signal A of the police (A), handled by
coordination X in Politieregio Amsterdam."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from access.models import Share
from api.services import create_api_key
from coordination import services as coordination
from devstack.worker import wait_for
from inbox.models import UnreadMark
from inbox.services import mark_unread, send_digests
from inbox.tasks import send_inbox_digests
from intake.professional.services import add_information
from intake.public.services import PublicReport, post_reporter_message, receive_public_report
from opvang import services as opvang
from organisations.models import Membership
from regions.models import Municipality, Region
from signals import receipts
from signals.models import Signal
from tests.factories import OfferFactory, PlacementRequestFactory, ShelterFactory
from tests.helpers import member_of, signed_in
from tests.world import SECRET_NAME, SECRET_REFERENCE, World
from triage.services import mark_overdue_signals, triage_signal

pytestmark = pytest.mark.django_db

Event = UnreadMark.Event
WRITTEN = "Marker written text: the boss took Ana's passport at Kerkstraat 12."
REPORTER_PHONE = "+31687654321"
# Nothing a mail may hold: what people wrote, names, numbers, references, addresses.
PERSONAL = [WRITTEN, "Ana", "Kerkstraat", REPORTER_PHONE, SECRET_NAME, SECRET_REFERENCE]


def _public_signal(world: World) -> Signal:
    """A public report in Amsterdam, from a reporter who left a phone number."""
    signal, _created = receive_public_report(
        PublicReport(
            language="pl",
            description=WRITTEN,
            submission_key=uuid.uuid4(),
            receipt_code=receipts.new_code(),
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=Municipality.objects.get(code="GM0363"),
            contact_phone=REPORTER_PHONE,
        )
    )
    triage_signal(signal.pk)
    return Signal.objects.get(pk=signal.pk)


def _placement(world: World):
    provider = ShelterFactory()
    answerer = member_of(provider, Membership.Role.PROFESSIONAL)
    request = PlacementRequestFactory(
        signal=world.signal_a,
        offer=OfferFactory(provider=provider),
        requested_by=world.coordinator_x,
        requesting_organisation=world.coordination_x,
    )
    return request, answerer


def _reporter_reply(world):
    signal = _public_signal(world)
    post_reporter_message(signal, body=WRITTEN, language="pl")
    return signal, ["X.coordinator"]


def _answer(world):
    question = coordination.ask_submitter(world.signal_a, by=world.coordinator_x, text=WRITTEN)
    UnreadMark.objects.all().delete()  # the question's own mark, for the officer
    coordination.answer_question(question, by=world.officer, answer=WRITTEN)
    return world.signal_a, ["X.coordinator"]


def _answer_by_a_colleague(world):
    colleague = member_of(world.police, Membership.Role.PROFESSIONAL)
    question = coordination.ask_submitter(world.signal_a, by=world.coordinator_x, text=WRITTEN)
    UnreadMark.objects.all().delete()
    coordination.answer_question(question, by=colleague, answer=WRITTEN)
    return world.signal_a, ["X.coordinator", "A.professional"]


def _information_added(world):
    add_information(world.signal_a, user=world.officer, text=WRITTEN)
    return world.signal_a, ["X.coordinator"]


def _placement_accepted(world):
    request, answerer = _placement(world)
    opvang.accept_request(request, by=answerer)
    return world.signal_a, ["X.coordinator"]


def _placement_declined(world):
    request, answerer = _placement(world)
    opvang.decline_request(request, by=answerer, reason=WRITTEN)
    return world.signal_a, ["X.coordinator"]


def _placement_expired(world):
    _placement(world)
    opvang.remind_unanswered_requests(now=timezone.now() + timedelta(days=30))
    return world.signal_a, ["X.coordinator"]


def _transfer_in(world):
    coordination.transfer_signal(
        world.signal_a, by=world.coordinator_x, region=Region.objects.get(code="RTM"), reason="x"
    )
    return world.signal_a, ["Y.coordinator"]


def _share_in(world):
    coordination.share_with_organisation(
        world.signal_a,
        by=world.coordinator_x,
        organisation=world.inspectorate,
        legal_basis=Share.LegalBasis.PUBLIC_TASK,
        purpose=WRITTEN,
        ends_on=timezone.localdate() + timedelta(days=10),
    )
    return world.signal_a, ["B.professional", "B.coordinator"]


def _overdue(world):
    Signal.objects.filter(pk=world.signal_a.pk).update(deadline=timezone.now() - timedelta(hours=1))
    assert mark_overdue_signals() == 1
    return world.signal_a, ["X.coordinator"]


def _question(world):
    coordination.ask_submitter(world.signal_a, by=world.coordinator_x, text=WRITTEN)
    return world.signal_a, ["A.professional"]


@dataclass(frozen=True)
class Case:
    event: str
    happen: Callable[[World], tuple[Signal, list[str]]]


EVENTS = {
    "reporter reply": Case(Event.REPORTER_REPLY, _reporter_reply),
    "answer": Case(Event.ANSWER, _answer),
    "answer by a colleague": Case(Event.ANSWER, _answer_by_a_colleague),
    "information added": Case(Event.INFORMATION_ADDED, _information_added),
    "placement accepted": Case(Event.PLACEMENT_ACCEPTED, _placement_accepted),
    "placement declined": Case(Event.PLACEMENT_DECLINED, _placement_declined),
    "placement expired": Case(Event.PLACEMENT_EXPIRED, _placement_expired),
    "transfer in": Case(Event.TRANSFER_IN, _transfer_in),
    "share in": Case(Event.SHARE_IN, _share_in),
    "overdue": Case(Event.OVERDUE, _overdue),
    "question to the submitter": Case(Event.QUESTION, _question),
}


def _later(minutes: int = 0):
    return timezone.now() + timedelta(minutes=minutes)


@pytest.mark.parametrize("name", EVENTS)
def test_each_event_marks_the_case_and_mails_those_responsible_without_personal_data(
    world, name, settings
):
    settings.INBOX_MAIL_AFTER = timedelta(minutes=5)
    case = EVENTS[name]
    signal, responsible = case.happen(world)
    people = {world.users[visitor] for visitor in responsible}

    marks = UnreadMark.objects.filter(signal=signal)
    assert {mark.user for mark in marks} == people
    assert all(case.event in mark.events for mark in marks)

    # Nothing is mailed before the marks have waited; then one mail per person.
    mail.outbox.clear()
    assert send_digests(now=_later(1)) == 0
    assert send_digests(now=_later(6)) == len(people)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)
    label = str(Event(case.event).label)
    for message in mail.outbox:
        text = message.subject + message.body
        assert label in message.body
        assert all(personal not in text for personal in PERSONAL), text
        handles = message.to[0].endswith(("@x.test", "@y.test"))
        page = "coordination:case" if handles else "pro_signals:detail"
        assert reverse(page, args=[signal.public_id]) in message.body
    # Running again mails nobody twice.
    assert send_digests(now=_later(7)) == 0 and len(mail.outbox) == len(people)


def test_the_assignee_alone_is_marked_when_someone_is_assigned(world):
    colleague = member_of(world.coordination_x, Membership.Role.COORDINATOR)
    coordination.assign_signal(world.signal_a, by=world.coordinator_x, assignee=colleague)
    add_information(world.signal_a, user=world.officer, text="More")
    assert list(UnreadMark.objects.values_list("user", flat=True)) == [colleague.pk]


def test_the_menu_counts_the_queue_filters_and_reading_clears(world):
    public = _public_signal(world)
    post_reporter_message(public, body=WRITTEN, language="pl")
    client = signed_in(world.coordinator_x)
    queue = client.get(reverse("coordination:queue")).content.decode()
    assert "1 unread" in queue and "Unread: 1" in queue
    unread = client.get(reverse("coordination:queue"), {"unread": "on"}).content.decode()
    assert str(public.public_id) in unread and str(world.signal_a.public_id) not in unread
    inbox = client.get(reverse("inbox:inbox")).content.decode()
    assert str(Event.REPORTER_REPLY.label) in inbox
    assert reverse("coordination:case", args=[public.public_id]) in inbox

    client.get(reverse("coordination:case", args=[public.public_id]))
    assert not UnreadMark.objects.exists()
    inbox = client.get(reverse("inbox:inbox")).content.decode()
    assert "Nothing unread." in inbox and "badge--unread" not in inbox


@pytest.mark.parametrize("channel", ["pro_signals:detail", "api:signal"])
def test_reading_on_the_signal_page_or_in_the_api_clears_too(world, channel):
    coordination.ask_submitter(world.signal_a, by=world.coordinator_x, text="Waar slaapt ze?")
    assert UnreadMark.objects.filter(user=world.officer).exists()
    signed_in(world.officer).get(reverse(channel, args=[world.signal_a.public_id]))
    assert not UnreadMark.objects.exists()


def test_a_busy_case_sends_one_mail_until_it_is_read(world, settings):
    settings.INBOX_MAIL_AFTER = timedelta(minutes=5)
    public = _public_signal(world)
    for _ in range(5):
        post_reporter_message(public, body=WRITTEN, language="pl")
    add_information(world.signal_a, user=world.officer, text=WRITTEN)
    mail.outbox.clear()
    assert send_digests(now=_later(6)) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].body.count("/pro/queue/") == 2
    # More news on the cases, still unread: no second mail.
    post_reporter_message(public, body=WRITTEN, language="pl")
    assert send_digests(now=_later(20)) == 0
    # Read, then news again: a new mail after the wait.
    signed_in(world.coordinator_x).get(reverse("coordination:case", args=[public.public_id]))
    post_reporter_message(public, body=WRITTEN, language="pl")
    assert send_digests(now=_later(30)) == 1 and len(mail.outbox) == 2


def test_the_mail_says_urgent_when_a_case_is_urgent(world, settings):
    settings.INBOX_MAIL_AFTER = timedelta(minutes=5)
    Signal.objects.filter(pk=world.signal_a.pk).update(priority=Signal.Priority.URGENT)
    add_information(world.signal_a, user=world.officer, text=WRITTEN)
    mail.outbox.clear()
    send_digests(now=_later(6))
    # Mails are in Dutch, the portal's language.
    assert mail.outbox[0].subject.startswith("SPOED: Meldpunt: nieuws in 1 zaak")
    assert "SPOED: Er is informatie toegevoegd" in mail.outbox[0].body


def test_a_case_the_person_can_no_longer_open_is_not_mailed(world, settings):
    settings.INBOX_MAIL_AFTER = timedelta(minutes=5)
    settings.TRANSFER_SENDER_READ_DAYS = 0
    mark_unread(world.signal_a, event=Event.INFORMATION_ADDED)
    coordination.transfer_signal(
        world.signal_a, by=world.coordinator_x, region=Region.objects.get(code="RTM"), reason="x"
    )
    mail.outbox.clear()
    send_digests(now=_later(6))
    assert [message.to for message in mail.outbox] == [[world.coordinator_y.email]]
    assert not UnreadMark.objects.filter(user=world.coordinator_x).exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_digest(world, celery_worker):
    for path in celery_worker.mail_dir.iterdir():
        path.unlink()
    add_information(world.signal_a, user=world.officer, text=WRITTEN)
    UnreadMark.objects.update(marked_at=timezone.now() - timedelta(hours=1))
    send_inbox_digests.delay()
    wait_for(lambda: UnreadMark.objects.filter(mailed_at__isnull=False).exists())
    # The digest goes to the person; the triage notifications (of building the world) go to the
    # region's addresses as a blind copy.
    digests = [m for m in celery_worker.mails() if f"To: {world.coordinator_x.email}" in m]
    assert len(digests) == 1
    assert reverse("coordination:case", args=[world.signal_a.public_id]) in digests[0]
    assert all(personal not in digests[0] for personal in PERSONAL)


def test_the_service_user_of_an_api_key_is_not_marked(world):
    create_api_key(
        world.coordination_x,
        name="Case system",
        scope="read_write",
        roles=[Membership.Role.COORDINATOR],
        by=world.users["X.organisation_admin"],
    )
    add_information(world.signal_a, user=world.officer, text="More")
    assert list(UnreadMark.objects.values_list("user", flat=True)) == [world.coordinator_x.pk]
