"""What retention did: the destruction list, and the weekly warnings sent to each area."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DestructionRecord(models.Model):
    """One removal of a signal's personal data: what kind of rows went, how many, when and on
    which grounds, and no content (the destruction list the privacy officer checks)."""

    class Grounds(models.TextChoices):
        RETENTION = "retention", _("Retention period passed")
        ERASURE = "erasure", _("Data-subject request")

    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.CASCADE, related_name="destruction_records"
    )
    removed_at = models.DateTimeField(_("removed at"), db_index=True)
    grounds = models.CharField(_("grounds"), max_length=16, choices=Grounds.choices)
    # The signal's status then (retention periods differ per status), and per kind of row how
    # many were deleted ("persons": 2, "attachments": 1, ...).
    status = models.CharField(_("status"), max_length=24)
    removed = models.JSONField(_("removed"), default=dict)

    class Meta:
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction list")
        ordering = ["-removed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.removed_at:%Y-%m-%d} ({self.grounds})"


class RetentionDigest(models.Model):
    """The weekly warning to an area's coordinators of what loses its personal data in the week
    ahead, recorded so that a task run twice mails once."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("week starting"))
    signals = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "week"], name="one_retention_digest_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.week}"
