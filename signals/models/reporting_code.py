"""The meldcode's steps on a signal about a minor, as a professional's organisation walks them.

The Dutch reporting code for domestic violence and child abuse (meldcode huiselijk geweld en
kindermishandeling) asks a professional five steps; people trained on it expect the same steps
here. Each organisation keeps its own checklist on a signal: the code is its own duty.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.core.fields import EncryptedTextField

from .signal import Signal


class ReportingCodeStep(models.Model):
    """One step of the meldcode (stap van de meldcode), done or with a note, for one signal and
    one organisation. The note is the professional's words, so encrypted."""

    NOTE_MAX_LENGTH = 1_000

    class Step(models.IntegerChoices):
        MAP = 1, _("Map the signals")
        CONSULT = 2, _("Consult a colleague, and if needed Veilig Thuis or an expert")
        TALK = 3, _("Talk with the person (and, for a child, the parents)")
        WEIGH = 4, _("Weigh the risk, its nature and its seriousness")
        DECIDE = 5, _("Decide: organise help, or report (to Veilig Thuis)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="reporting_code")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meldcode step")
        verbose_name_plural = _("meldcode steps")
        ordering = ["signal", "organisation", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "organisation", "step"], name="one_reporting_code_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.step}"
