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
        # A possible connection a coordinator confirmed; `value` is the name key it was found on.
        CONFIRMED = "confirmed", _("person (confirmed by a coordinator)")

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


class PossibleConnection(models.Model):
    """Two signals may name the same person: the name in another script, or spelled as it sounds
    ("Edito", "Edoto"), with the same year of birth (signals.identifiers). Not proof, so never
    acted on by itself: a coordinator confirms it (then it is a `Connection` of kind
    "confirmed") or dismisses it, and a decided pair is not proposed again.

    Stored in both directions like `Connection`; a decision applies to both. `value` is the
    name key it was found on, never the name.
    """

    class Kind(models.TextChoices):
        TRANSLITERATED = "transliterated", _("name in another script, same year of birth")
        PHONETIC = "phonetic", _("name that sounds alike, same year of birth")

    class Status(models.TextChoices):
        OPEN = "open", _("to review")
        CONFIRMED = "confirmed", _("confirmed")
        DISMISSED = "dismissed", _("dismissed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.CASCADE, related_name="possible_connections"
    )
    other = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("possible connection")
        verbose_name_plural = _("possible connections")
        constraints = [
            # One per pair and kind: a new key for the same pair (a new BLIND_INDEX_KEY) does not
            # bring a dismissed pair back.
            models.UniqueConstraint(
                fields=["signal", "other", "kind"], name="one_possible_connection_per_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(signal=models.F("other")),
                name="possible_connection_not_to_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} ?~ {self.other_id} ({self.kind}, {self.status})"
