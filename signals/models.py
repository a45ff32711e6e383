"""Signals (signalen): reports of possible human trafficking, and their history."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DESCRIPTION_MAX_LENGTH = 10_000


class ExploitationForm(models.Model):
    """A form of exploitation (uitbuitingsvorm): sexual, labour, criminal, organ removal, unknown.

    Content kept by the functional admin; names and texts are translated (modeltranslation).
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description in plain words"), blank=True)
    examples = models.TextField(_("examples"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("form of exploitation")
        verbose_name_plural = _("forms of exploitation")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class IndicatorCategory(models.Model):
    """A group of indicators in the signalenlijst (dependency, restricted freedoms, ...)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator category")
        verbose_name_plural = _("indicator categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One indicator (signaal) of the checklist, shared by the public and professional forms."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    category = models.ForeignKey(
        IndicatorCategory, on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    public_text = models.CharField(
        _("question in plain words for the public form"), max_length=200, blank=True
    )
    help_text = models.TextField(_("help text"), blank=True)
    forms = models.ManyToManyField(
        ExploitationForm, blank=True, related_name="indicators", verbose_name=_("forms")
    )
    is_public = models.BooleanField(_("asked on the public form"), default=False)
    weight = models.PositiveSmallIntegerField(
        _("weight in triage"),
        default=1,
        help_text=_("How strongly this indicator raises priority."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["category__order", "order", "code"]

    def __str__(self) -> str:
        return self.name


class Signal(models.Model):
    """A report of possible trafficking. Not yet a case, often vague, sometimes anonymous.

    The numeric primary key never leaves the server: pages, the API and links use `public_id`.
    No IP address or other trace of the reporter's device is stored.
    """

    class Source(models.TextChoices):
        PUBLIC = "public", _("Public form")
        PROFESSIONAL = "professional", _("Professional")
        API = "api", _("Partner system")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGED = "triaged", _("Triaged")
        IN_PROGRESS = "in_progress", _("In progress")
        CARE_ARRANGED = "care_arranged", _("Care arranged")
        REFERRED_POLICE = "referred_police", _("Referred to police")
        REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
        NO_TRAFFICKING = "no_trafficking", _("No trafficking")
        UNREACHABLE = "unreachable", _("Could not be reached")
        CLOSED = "closed", _("Closed")

    class LocationKind(models.TextChoices):
        MUNICIPALITY = "municipality", _("In a Dutch municipality")
        ABROAD = "abroad", _("Abroad")
        ONLINE = "online", _("Online")
        UNKNOWN = "unknown", _("Unknown")

    class Priority(models.IntegerChoices):
        URGENT = 1, _("Urgent")
        HIGH = 2, _("High")
        NORMAL = 3, _("Normal")

    class Track(models.TextChoices):
        STANDARD = "standard", _("Standard")
        MINORS = "minors", _("Minors (youth care involved)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A key the submitting form carries, so that sending the same form twice creates one signal.
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.NEW, db_index=True
    )
    description = models.TextField(_("what was seen"), max_length=DESCRIPTION_MAX_LENGTH)
    location_kind = models.CharField(
        _("where"), max_length=16, choices=LocationKind.choices, default=LocationKind.UNKNOWN
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    forms = models.ManyToManyField(
        ExploitationForm,
        blank=True,
        related_name="signals",
        verbose_name=_("forms of exploitation"),
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="signals", verbose_name=_("indicators")
    )
    is_urgent = models.BooleanField(_("someone is in danger now"), default=False)
    involves_minor = models.BooleanField(_("a minor may be involved"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_signals",
        verbose_name=_("submitted by organisation"),
    )

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("routed to region"),
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    # Set by the triage service (see triage/rules.py): how urgent, which track, looked at by when.
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    track = models.CharField(
        _("track"), max_length=16, choices=Track.choices, default=Track.STANDARD
    )
    deadline = models.DateTimeField(_("look at before"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    # Dead letter: triage failed every retry. Shown in the admin with the error, never lost.
    triage_failed_at = models.DateTimeField(_("triage failed at"), null=True, blank=True)
    triage_error = models.CharField(_("triage error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-created_at"]
        permissions = [
            ("triage_signal", _("Can triage, assign and transfer the signal")),
            ("contribute_signal", _("Can add information and answer questions")),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="new"),
                name="signal_untriaged_idx",
            ),
            models.Index(
                fields=["deadline"],
                condition=models.Q(status="triaged", overdue_at__isnull=True),
                name="signal_deadline_watch_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(location_kind="municipality")
                | models.Q(municipality__isnull=False),
                name="signal_municipality_given",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class SignalEvent(models.Model):
    """One entry in a signal's history, written in the same transaction as the change."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        TRIAGED = "triaged", _("Triaged")
        REROUTED = "rerouted", _("Re-routed to another region")
        OVERDUE = "overdue", _("Deadline passed")
        TRIAGE_FAILED = "triage_failed", _("Triage failed")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)

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
