import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.core.fields import EncryptedTextField
from signals.models import DESCRIPTION_MAX_LENGTH

NOTE_MAX_LENGTH = DESCRIPTION_MAX_LENGTH


class Note(models.Model):
    """An internal note on a signal, visible only to members of the organisation that wrote it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="notes")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("note"), max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["signal", "organisation"])]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.created_at:%Y-%m-%d}"


class Connection(models.Model):
    """Two signals share an identifier (verband): a phone number, a plate, an IBAN, ...

    Stored in both directions, so a signal's connections are one indexed lookup. `value` is the
    shared identifier's blind index (the `*_key` field it was matched on), never the identifier.
    """

    class Kind(models.TextChoices):
        PHONE = "phone", _("phone number")
        EMAIL = "email", _("e-mail address")
        PLATE = "plate", _("licence plate")
        IBAN = "iban", _("bank account")
        WEBSITE = "website", _("website")
        ADDRESS = "address", _("address")
        PERSON = "person", _("person (name and date of birth)")

    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.CASCADE, related_name="connections"
    )
    other = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "other", "kind", "value"], name="one_connection_per_identifier"
            ),
            models.CheckConstraint(
                condition=~models.Q(signal=models.F("other")), name="connection_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} ~ {self.other_id} ({self.kind})"
