"""Holds on retention: criminal proceedings can outlast a retention period."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.core.fields import EncryptedTextField

from .signal import Signal


class RetentionHold(models.Model):
    """A hold on one signal's personal data, with a reason and an end date: until `ends_on` the
    retention periods leave the signal alone (privacy.selectors.due_for_retention); after it, or
    once lifted, the usual period applies again. Placed by a coordinator handling the case."""

    REASON_MAX_LENGTH = 1000

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="retention_holds")
    # Encrypted: a reason names proceedings, and so a person.
    reason = EncryptedTextField(_("reason"), max_length=REASON_MAX_LENGTH)
    ends_on = models.DateField(_("held until"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("retention hold")
        verbose_name_plural = _("retention holds")
        ordering = ["-placed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["signal", "ends_on"],
                condition=models.Q(lifted_at__isnull=True),
                name="retention_hold_active_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} held until {self.ends_on}"
