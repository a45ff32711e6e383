"""The language bridge between a reporter and the coordinators: machine translations of what
people wrote, and a reporter's request for an interpreter (tolk)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.core.fields import EncryptedTextField

from .signal import Signal


class MachineTranslation(models.Model):
    """A machine translation of a text a person wrote about a signal, by the self-hosted engine
    (meldpunt.core.machine_translation), encrypted as its source is.

    `source` names the text: "description", "occurred_when", "message:<id>" or "addition:<id>"
    (a row's primary key, never shown). A translation that failed is kept as such, without text,
    so that a later attempt knows how often it was tried; the pages show only the original then.
    """

    class Status(models.TextChoices):
        DONE = "done", _("Translated")
        FAILED = "failed", _("Failed")

    DESCRIPTION = "description"
    OCCURRED_WHEN = "occurred_when"

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="machine_translations"
    )
    source = models.CharField(max_length=40)
    source_language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    target_language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    text = EncryptedTextField(_("machine translation"), blank=True)
    status = models.CharField(max_length=8, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A failed translation is tried again from this moment (by a periodic task).
    retry_after = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("machine translation")
        verbose_name_plural = _("machine translations")
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "source", "target_language"],
                name="one_machine_translation_per_text",
            ),
        ]
        indexes = [
            models.Index(
                fields=["retry_after"],
                condition=models.Q(status="failed", retry_after__isnull=False),
                name="translation_retry_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.source} → {self.target_language}"

    @staticmethod
    def source_of(row: models.Model) -> str:
        """The `source` of a message's or an addition's text."""
        return f"{row._meta.model_name}:{row.pk}"


class InterpreterRequest(models.Model):
    """A reporter asks for an interpreter: in which language, by phone or in person. A
    coordinator records when one was arranged; the monitor counts the requests by language."""

    class Mode(models.TextChoices):
        PHONE = "phone", _("by phone")
        IN_PERSON = "in_person", _("in person")

    class Via(models.TextChoices):
        REPORT = "report", _("with the report")
        FOLLOW_UP = "follow_up", _("on the follow-up page")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="interpreter_requests"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    mode = models.CharField(_("how"), max_length=16, choices=Mode.choices)
    via = models.CharField(_("asked"), max_length=16, choices=Via.choices)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    arranged_at = models.DateTimeField(_("arranged at"), null=True, blank=True)
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("interpreter request")
        verbose_name_plural = _("interpreter requests")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.language} {self.mode}"
