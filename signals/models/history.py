"""A signal's history: one entry per change, written in the same transaction as the change."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.core.fields import EncryptedJSONField

from .signal import Signal


class SignalEvent(models.Model):
    """One entry in a signal's history, written in the same transaction as the change."""

    # The longest reason a coordinator may give for a change (a status move, a transfer, a merge
    # or split): the forms and the API both check it, the detail keeps it.
    REASON_MAX_LENGTH = 1000

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        TRIAGED = "triaged", _("Triaged")
        # Overdragen: the one word for handing a signal to another region, everywhere.
        REROUTED = "rerouted", _("Transferred to another region")
        OVERDUE = "overdue", _("Deadline passed")
        TRIAGE_FAILED = "triage_failed", _("Triage failed")
        # A shelter placement was requested, accepted or declined (opvang).
        PLACEMENT = "placement", _("Shelter placement")
        STATUS_CHANGED = "status_changed", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        SHARED = "shared", _("Shared with an organisation")
        SHARE_REVOKED = "share_revoked", _("Share revoked")
        # The procedures on a case (signals.models.procedures): each recorded change.
        REFLECTION_PERIOD = "reflection_period", _("Reflection period offered")
        REFLECTION_REMINDER = "reflection_reminder", _("Reminder: reflection period ends soon")
        RESIDENCE_APPLICATION = "residence_application", _("B8/3 residence application")
        REPORTING_DECISION = "reporting_decision", _("Decision about reporting to the police")
        POLICE_HANDOVER = "police_handover", _("Handover to the police")
        # A data-subject request (privacy app) erased a person's data; the detail holds none.
        PERSONAL_DATA_ERASED = "personal_data_erased", _("Personal data erased on request")
        MERGED = "merged", _("Merged (duplicate)")
        SPLIT = "split", _("Split (no longer a duplicate)")
        INTERPRETER_ARRANGED = "interpreter_arranged", _("Interpreter arranged")
        RETENTION_HOLD = "retention_hold", _("Retention hold placed")
        RETENTION_HOLD_LIFTED = "retention_hold_lifted", _("Retention hold lifted")
        REGISTERED = "registered", _("Registered with CoMensha")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = EncryptedJSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("signal event")
        verbose_name_plural = _("signal events")
        ordering = ["created_at", "pk"]
        constraints = [
            # Triage is recorded once per signal however often its task is delivered.
            models.UniqueConstraint(
                fields=["signal"], condition=models.Q(kind="triaged"), name="one_triage_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.kind}"
