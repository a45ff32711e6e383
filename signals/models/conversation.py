"""What is written about a signal after it was received, side by side: messages with the
(anonymous) reporter, the coordinator's questions to the submitting organisation, and the
submitting organisation's additions.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.core.fields import EncryptedTextField

from .signal import Signal


class Message(models.Model):
    """A message between the (anonymous) reporter and the coordinator about a public signal."""

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
    body = EncryptedTextField(_("message"), max_length=BODY_MAX_LENGTH)
    # The language the message is written in, shown to the reader when it is not theirs.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
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
