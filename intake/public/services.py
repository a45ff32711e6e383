"""The public intake: a citizen's or victim's report, its receipt code, the conversation, the
interpreter they may ask for, and the notices they may ask for."""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coordination.translation import translation_tasks
from inbox.models import UnreadMark
from inbox.services import mark_unread
from intake import uploads
from intake.services import receive_signal
from meldpunt.core.queueing import enqueue_all_on_commit
from regions.models import Municipality
from signals import identifiers, receipts
from signals.models import (
    BankAccount,
    ExploitationForm,
    Indicator,
    InterpreterRequest,
    Location,
    Message,
    NewsNotice,
    Person,
    PhoneNumber,
    Signal,
    Vehicle,
    Website,
)

logger = logging.getLogger(__name__)


@dataclass
class PublicReport:
    """The answers of the public form, as its steps cleaned them."""

    language: str
    description: str
    submission_key: uuid.UUID
    receipt_code: str
    location_kind: str = Signal.LocationKind.UNKNOWN
    municipality: Municipality | None = None
    occurred_period: str = ""
    occurred_when: str = ""
    people_count: int | None = None
    involves_minor: bool | None = None
    forms: list[ExploitationForm] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    is_urgent: bool = False
    about_reporter: bool | None = None
    # Files waiting in private storage, as intake.uploads.keep_for_later described them.
    uploads: list[dict] = field(default_factory=list)
    contact_name: str = ""
    # Normalised by signals.identifiers: E.164, and lower case.
    contact_phone: str = ""
    contact_email: str = ""
    # How it is safe to contact the reporter (signals.models.ContactWishes), with consent only.
    contact_channel: str = ""
    contact_times: list[str] = field(default_factory=list)
    contact_voicemail: bool | None = None
    contact_sms: bool | None = None
    contact_language: str = ""
    contact_interpreter: bool | None = None
    # Whether the possible victim wants the police or the immigration authorities involved.
    victim_wants_police: str = Signal.Wish.UNKNOWN
    victim_wants_immigration: str = Signal.Wish.UNKNOWN
    # The optional step about the person involved: a phone number (E.164), a website (as typed,
    # checked by signals.identifiers.website_domain) and a company name.
    involved_phone: str = ""
    involved_website: str = ""
    involved_company: str = ""
    # An interpreter asked for with the report: a language code and InterpreterRequest.Mode.
    interpreter_language: str = ""
    interpreter_mode: str = ""


def receive_public_report(report: PublicReport) -> tuple[Signal, bool]:
    """Receive a report from the public form; False when this form was sent before.

    The signal keeps only an HMAC and a slow hash of the receipt code. The waiting files become
    attachments in the same transaction; their temporary folder is removed after the commit.
    """
    created: list[Signal] = []

    def store_related(signal: Signal) -> None:
        signal.forms.set(report.forms)
        signal.indicators.set(report.indicators)
        uploads.attach(signal, report.uploads)
        store_identifiers(signal, report)
        if report.interpreter_mode:
            InterpreterRequest.objects.create(
                signal=signal,
                language=report.interpreter_language or report.language,
                mode=report.interpreter_mode,
                via=InterpreterRequest.Via.REPORT,
            )
        created.append(signal)

    signal = receive_signal(
        source=Signal.Source.PUBLIC,
        language=report.language,
        description=report.description,
        location_kind=report.location_kind,
        municipality=report.municipality,
        is_urgent=report.is_urgent,
        involves_minor=report.involves_minor,
        submission_key=report.submission_key,
        details={
            "about_reporter": report.about_reporter,
            "occurred_period": report.occurred_period,
            "occurred_when": report.occurred_when,
            "people_count": report.people_count,
            "contact_name": report.contact_name,
            "contact_phone": report.contact_phone,
            "contact_email": report.contact_email,
            "contact_channel": report.contact_channel,
            "contact_times": report.contact_times,
            "contact_voicemail": report.contact_voicemail,
            "contact_sms": report.contact_sms,
            "contact_language": report.contact_language,
            "contact_interpreter": report.contact_interpreter,
            "victim_wants_police": report.victim_wants_police,
            "victim_wants_immigration": report.victim_wants_immigration,
            "receipt_lookup": receipts.lookup_key(report.receipt_code),
            "receipt_hash": receipts.slow_hash(report.receipt_code),
        },
        with_signal=store_related,
    )
    draft_key = str(report.submission_key)
    transaction.on_commit(lambda: uploads.discard_draft_files(draft_key))
    return signal, bool(created)


def store_identifiers(signal: Signal, report: PublicReport) -> None:
    """The identifiers in the report's words and in its answers about the person involved, as
    the same rows and blind indexes a professional's intake stores, so that linking finds them.

    Whose they are the report does not say: the phone numbers and the first e-mail address go to
    one person of role "other", each further e-mail address to another; a company named goes
    to a workplace. The case page says they come from a public report.
    """
    found = identifiers.find_identifiers(report.description)
    phones = list(found.phones)
    if report.involved_phone and report.involved_phone not in {e164 for _raw, e164 in phones}:
        phones.insert(0, (report.involved_phone, report.involved_phone))
    emails = [email for _raw, email in found.emails]
    if phones or emails:
        person = Person.objects.create(
            signal=signal, role=Person.Role.OTHER, email=emails[0] if emails else ""
        )
        PhoneNumber.objects.bulk_create(
            PhoneNumber(person=person, raw=raw[:40], number=e164) for raw, e164 in phones
        )
        Person.objects.bulk_create(
            Person(signal=signal, role=Person.Role.OTHER, email=email, order=order)
            for order, email in enumerate(emails[1:], start=1)
        )
    websites = list(found.websites)
    if report.involved_website:
        domain = identifiers.website_domain(report.involved_website)
        if domain not in {known for _url, known in websites}:
            websites.insert(0, (report.involved_website, domain))
    Website.objects.bulk_create(
        Website(signal=signal, url=url[:2000], domain=domain) for url, domain in websites
    )
    Vehicle.objects.bulk_create(
        Vehicle(signal=signal, plate_raw=raw[:20], plate=plate) for raw, plate in found.plates
    )
    BankAccount.objects.bulk_create(
        BankAccount(signal=signal, iban_raw=raw[:50], iban=iban) for raw, iban in found.ibans
    )
    if report.involved_company:
        Location.objects.create(
            signal=signal, kind=Location.Kind.WORKPLACE, description=report.involved_company
        )


def post_reporter_message(
    signal: Signal,
    *,
    language: str,
    body: str = "",
    reply: str = "",
    reply_value: str = "",
    in_reply_to: Message | None = None,
    files: list[uploads.CleanFile] | None = None,
) -> Message:
    """The reporter, known only by the receipt code, writes, answers with a quick reply
    (Reply: a code, and a time to call or a phone number as its value) or sends files that
    `uploads.clean_upload` accepted; `in_reply_to` is the coordinator's question it answers.

    The case is marked unread for whoever handles it, in any status: closing a case never closes
    the reporter's channel. What the reporter sends restarts the case's retention period (counted
    from its last change), so late evidence is not removed days after it arrived. The free text
    is machine-translated when that is on.
    """
    files = files or []
    with transaction.atomic():
        Signal.objects.filter(pk=signal.pk).update(updated_at=timezone.now())
        message = Message.objects.create(
            signal=signal,
            author_kind=Message.Author.REPORTER,
            body=body.strip(),
            language=language,
            reply=reply,
            reply_value=reply_value,
            in_reply_to=in_reply_to,
        )
        uploads.attach_later(signal, files, message=message)
        if in_reply_to is not None:
            mark_unread(signal, event=UnreadMark.Event.ANSWER)
        elif body.strip() or reply:
            mark_unread(signal, event=UnreadMark.Event.REPORTER_REPLY)
        if files:
            mark_unread(signal, event=UnreadMark.Event.REPORTER_FILES)
        enqueue_all_on_commit(translation_tasks(signal))
    return message


def request_interpreter(signal: Signal, *, language: str, mode: str) -> InterpreterRequest:
    """The reporter asks on the follow-up page for an interpreter: the case is marked unread."""
    with transaction.atomic():
        request = InterpreterRequest.objects.create(
            signal=signal, language=language, mode=mode, via=InterpreterRequest.Via.FOLLOW_UP
        )
        mark_unread(signal, event=UnreadMark.Event.INTERPRETER)
    return request


# News notices: "there is news, use your code", by e-mail, only to a reporter who asked for it.


def ask_for_news_notices(signal: Signal, *, email: str, language: str) -> NewsNotice:
    """The reporter gives an address for content-free notices (normalised, lower case); a
    second time replaces the first."""
    notice, _created = NewsNotice.objects.update_or_create(
        signal=signal, defaults={"email": email, "language": language, "news_since": None}
    )
    return notice


def stop_news_notices(signal: Signal) -> None:
    """The address is forgotten at once, not kept until retention."""
    NewsNotice.objects.filter(signal=signal).delete()


def news_was_read(signal: Signal) -> None:
    """The reporter opened the follow-up page: whatever news waited is read, no notice needed."""
    NewsNotice.objects.filter(signal=signal, news_since__isnull=False).update(news_since=None)


def send_news_notices(*, now: datetime | None = None, limit: int = 500) -> int:
    """Beat: mail each reporter whose news has waited NEWS_NOTICE_AFTER unread, once. Returns
    the number of mails. A mail that fails stays due, to be sent by the next run."""
    now = now or timezone.now()
    due = NewsNotice.objects.filter(news_since__lte=now - settings.NEWS_NOTICE_AFTER).exclude(
        email=""
    )
    sent = 0
    for notice_id in list(due.values_list("pk", flat=True)[:limit]):
        sent += _send_news_notice(notice_id, now=now)
    return sent


def _send_news_notice(notice_id: int, *, now: datetime) -> bool:
    with transaction.atomic():
        notice = (
            NewsNotice.objects.select_for_update(skip_locked=True)
            .filter(pk=notice_id, news_since__isnull=False)
            .first()
        )
        if notice is None:
            return False
        try:
            _news_notice_mail(notice).send()
        except OSError as problem:
            # The mail server is away (smtplib's errors are OSErrors): tried again next run.
            logger.warning("news notice not sent: %s", type(problem).__name__)
            return False
        notice.news_since = None
        notice.last_sent_at = now
        notice.save(update_fields=["news_since", "last_sent_at"])
    return True


def _news_notice_mail(notice: NewsNotice) -> EmailMultiAlternatives:
    """The notice in the reporter's language: that there is news and where to read it with the
    code. Nothing about the report, the portal's subject or the coordinator: someone else may
    read the mailbox."""
    with translation.override(notice.language):
        link = settings.PORTAL_URL.rstrip("/") + reverse("report:follow_up")
        context = {
            "link": link,
            "language": notice.language,
            "bidi": translation.get_language_bidi(),
        }
        subject = _("There is news for you")
        text = render_to_string("public/report/news_notice.txt", context)
        html = render_to_string("public/report/news_notice.html", context)
    mail = EmailMultiAlternatives(subject, text, to=[notice.email])
    mail.attach_alternative(html, "text/html")
    mail.extra_headers["Content-Language"] = notice.language
    return mail
