"""What is written about a signal after it was received, side by side: messages with the
(anonymous) reporter, the coordinator's questions to the submitting organisation, and the
submitting organisation's additions.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField

from .. import identifiers
from .signal import Signal


class Message(models.Model):
    """A message between the (anonymous) reporter and the coordinator about a public signal.

    What can be said without words is stored as codes, read in each reader's own language
    (coordination.phrasebook): a coordinator's standard phrase with the words its placeholder
    takes, what answer it expects (a structured question), and a reporter's quick reply. The
    free text beside them is the writer's own words, in `language`.
    """

    BODY_MAX_LENGTH = 5_000

    class Author(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        COORDINATOR = "coordinator", _("Coordinator")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(_("from"), max_length=16, choices=Author.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Empty when the phrase, the quick reply or the files say it all.
    body = EncryptedTextField(_("message"), max_length=BODY_MAX_LENGTH, blank=True)
    # The language the free text is written in, shown to the reader when it is not theirs.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # A coordinator's standard phrase (a code of coordination.phrasebook.PHRASES) and the code
    # of the word its placeholder takes ({"topic": "place"}): codes only, never words.
    phrase = models.CharField(_("standard phrase"), max_length=40, blank=True)
    phrase_params = models.JSONField(default=dict, blank=True)
    # The answer the coordinator asks for (coordination.phrasebook.Expects): a structured
    # question. Empty: none.
    expects = models.CharField(_("expected answer"), max_length=16, blank=True)
    # A reporter's quick reply (coordination.phrasebook.Reply) and its value: a time to call
    # (a code) or a phone number (E.164), encrypted as every contact detail is.
    reply = models.CharField(_("quick reply"), max_length=16, blank=True)
    reply_value = EncryptedCharField(max_length=40, blank=True)
    # The coordinator's question that a reporter's message answers.
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.author_kind} {self.created_at:%Y-%m-%d}"


class Question(models.Model):
    """A coordinator's question to the organisation that submitted the signal, and its answer."""

    TEXT_MAX_LENGTH = 2_000

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = EncryptedTextField(_("question"), max_length=TEXT_MAX_LENGTH)
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = EncryptedTextField(_("answer"), max_length=TEXT_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("question to the submitter")
        verbose_name_plural = _("questions to the submitter")
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.asked_at:%Y-%m-%d}"


class Addition(models.Model):
    """Information the submitting organisation added after submitting (aanvulling).

    Seen by the submitting organisation and the region's coordinators, never by other
    organisations the signal is shared with.
    """

    TEXT_MAX_LENGTH = 5_000

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="additions")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("information"), max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("addition")
        verbose_name_plural = _("additions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.created_at:%Y-%m-%d}"


class NewsNotice(models.Model):
    """A reporter's wish to be told by e-mail that there is news about their report.

    The mail says no more than that there is news and where to read it with the receipt code
    (intake.public.services.send_news_notices): no content, no name of the portal's subject in
    the subject line. `news_since` is set when a coordinator writes and cleared when the notice
    goes out or the reporter reads the news, so that a busy conversation sends one notice.
    """

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="news_notice")
    email = EncryptedCharField(_("e-mail address for notices"), max_length=254)
    # So that the privacy officer finds the address when its owner asks what is kept of them.
    email_key = BlindIndexField(derive="compute_email_key")
    # The notice is written in this language: the reporter's, when they asked for it.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(auto_now_add=True)
    news_since = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("news notice")
        verbose_name_plural = _("news notices")
        indexes = [
            # The periodic sender's question: notices with news not told yet, oldest first.
            models.Index(
                fields=["news_since"],
                condition=models.Q(news_since__isnull=False),
                name="news_notice_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} notice"

    def compute_email_key(self) -> str:
        return identifiers.email_key(self.email)
