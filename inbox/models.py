"""Unread marks (ongelezen): a case with news that one person responsible for it has not read.

A mark holds no content: which events happened (their kinds), when, and whether the person was
mailed about it. Reading the case removes the mark; the next event makes a new one.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnreadMark(models.Model):
    class Event(models.TextChoices):
        REPORTER_REPLY = "reporter_reply", _("The reporter wrote")
        REPORTER_FILES = "reporter_files", _("The reporter sent files")
        INTERPRETER = "interpreter", _("The reporter asked for an interpreter")
        QUESTION = "question", _("The coordinator asked a question")
        ANSWER = "answer", _("A question was answered")
        INFORMATION_ADDED = "information_added", _("Information was added")
        PLACEMENT_ACCEPTED = "placement_accepted", _("A placement request was accepted")
        PLACEMENT_DECLINED = "placement_declined", _("A placement request was declined")
        PLACEMENT_EXPIRED = "placement_expired", _("A placement request expired unanswered")
        TRANSFER_IN = "transfer_in", _("Transferred to your region")
        SHARE_IN = "share_in", _("Shared with your organisation")
        OVERDUE = "overdue", _("The deadline passed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.CASCADE, related_name="unread_marks"
    )
    # The kinds of event since the person last read the case, each once, in the order they came.
    events = ArrayField(models.CharField(max_length=32, choices=Event.choices), size=16)
    marked_at = models.DateTimeField(default=timezone.now)
    last_event_at = models.DateTimeField(default=timezone.now)
    # Set when a digest mail named this mark: later events on the still unread case send no
    # second mail, so that one busy conversation does not flood anyone.
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unread mark")
        verbose_name_plural = _("unread marks")
        constraints = [
            models.UniqueConstraint(fields=["user", "signal"], name="one_unread_mark_per_case"),
        ]
        indexes = [
            # The digest task's question: marks not mailed yet, oldest first.
            models.Index(
                fields=["marked_at"],
                condition=models.Q(mailed_at__isnull=True),
                name="unmailed_mark_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.signal_id} {','.join(self.events)}"

    def event_labels(self) -> list[str]:
        return [str(self.Event(event).label) for event in self.events if event in self.Event]
