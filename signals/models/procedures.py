"""The procedures a coordinator tracks on a case: the reflection period (bedenktijd), the B8/3
residence application, the possible victim's decision about reporting to the police (aangifte),
and the handover to the police with their feedback.

One row of each per signal, holding its current state; every recorded change is written to the
signal's history as well (coordination.procedure_services). The legal facts (sources in
docs/architecture.md, "Procedures on a case"): a possible victim gets a reflection period of at
most three months to decide about reporting (Vreemdelingenwet 2000 art. 8, Vreemdelingencirculaire
2000 chapter B8/3), offered by the police or the KMar; the NLA is a choice too, as the
investigating service for labour exploitation. A report to the police (aangifte) is at once an
application for the B8/3 residence permit, on which the IND decides.
"""

import calendar
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.core.fields import EncryptedTextField

from .signal import Signal

REFLECTION_PERIOD_MONTHS = 3
FEEDBACK_MAX_LENGTH = 4000


def reflection_period_end(starts_on: date) -> date:
    """The end of a reflection period that starts on `starts_on`: three calendar months later
    (30 November + 3 months is 28 or 29 February, the last day that month has)."""
    month = starts_on.month - 1 + REFLECTION_PERIOD_MONTHS
    year, month = starts_on.year + month // 12, month % 12 + 1
    return starts_on.replace(
        year=year, month=month, day=min(starts_on.day, calendar.monthrange(year, month)[1])
    )


class ReflectionPeriod(models.Model):
    """Bedenktijd: who offered it, from when, until when, and how it ended."""

    class OfferedBy(models.TextChoices):
        POLICE = "police", _("Police")
        KMAR = "kmar", _("Royal Netherlands Marechaussee (KMar)")
        NLA = "nla", _("Netherlands Labour Authority (NLA)")

    class Outcome(models.TextChoices):
        OPEN = "", _("No outcome yet")
        TAKEN = "taken", _("Taken: the possible victim uses it")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.OneToOneField(
        Signal, on_delete=models.CASCADE, related_name="reflection_period"
    )
    # Empty only for a period recorded before it was asked (a start date alone).
    offered_by = models.CharField(
        _("offered by"), max_length=8, choices=OfferedBy.choices, blank=True
    )
    starts_on = models.DateField(_("offered from"))
    ends_on = models.DateField(_("ends on"), db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=Outcome.choices, blank=True, default=Outcome.OPEN
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    b8_follows = models.BooleanField(_("a B8/3 residence application follows"), default=False)
    # The reminder before the end was mailed (coordination.procedure_services): never twice.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reflection period")
        verbose_name_plural = _("reflection periods")

    def __str__(self) -> str:
        return f"{self.starts_on} - {self.ends_on}"

    def save(self, *args, **kwargs):
        self.ends_on = reflection_period_end(self.starts_on)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "ends_on"}
        super().save(*args, **kwargs)


class ResidenceApplication(models.Model):
    """The B8/3 residence application (verblijfsregeling mensenhandel) and the IND's decision."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Not decided yet")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.OneToOneField(
        Signal, on_delete=models.CASCADE, related_name="residence_application"
    )
    applied_on = models.DateField(_("applied on"))
    outcome = models.CharField(
        _("decision"), max_length=10, choices=Outcome.choices, blank=True, default=Outcome.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("B8/3 residence application")
        verbose_name_plural = _("B8/3 residence applications")

    def __str__(self) -> str:
        return str(self.applied_on)


class ReportingDecision(models.Model):
    """Whether the possible victim reports to the police (aangifte), as they decided."""

    class Decision(models.TextChoices):
        YES = "yes", _("Reports to the police")
        NO = "no", _("Does not report")
        UNDECIDED = "undecided", _("Has not decided yet")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.OneToOneField(
        Signal, on_delete=models.CASCADE, related_name="reporting_decision"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision about reporting to the police")
        verbose_name_plural = _("decisions about reporting to the police")

    def __str__(self) -> str:
        return self.decision


class PoliceHandover(models.Model):
    """The case handed over to the police, and what the police fed back."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="police_handover")
    handed_over_on = models.DateField(_("handed over on"))
    # The police's words about the case can name people: encrypted like every free text.
    feedback = EncryptedTextField(
        _("feedback from the police"), max_length=FEEDBACK_MAX_LENGTH, blank=True
    )
    feedback_on = models.DateField(_("feedback received on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("handover to the police")
        verbose_name_plural = _("handovers to the police")

    def __str__(self) -> str:
        return str(self.handed_over_on)
