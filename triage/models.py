"""Routing rules (data, edited by the functional admin) and the notifications triage sends."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from access.models import Share
from organisations.models import Organisation
from regions.models import Region
from signals.models import Signal


class RoutingRule(models.Model):
    """A routing rule (routeringsregel). Active rules are tried in order.

    Empty conditions match anything. The outcome is a target region, a priority override, a
    target organisation that also gets access, access for the area's organisations of some kinds
    (on a recorded legal basis, for a number of days), or a combination. Area and priority come
    from the first matching rule that sets either; access adds up over every matching rule
    (triage.rules.decide).
    """

    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_("Try a new rule on recent signals (admin action) before activating it."),
    )
    forms = models.ManyToManyField(
        "signals.ExploitationForm",
        blank=True,
        related_name="+",
        verbose_name=_("if any of these forms of exploitation"),
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("if in region"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("if in municipality"),
    )
    division = models.ForeignKey(
        "regions.Division",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("if in safety region, province or police unit"),
    )
    minor = models.BooleanField(_("if a minor is involved"), null=True, blank=True)
    urgent = models.BooleanField(_("if someone is in danger now"), null=True, blank=True)
    source_organisation_kind = models.CharField(
        _("if submitted by an organisation of kind"),
        max_length=32,
        choices=Organisation.Kind.choices,
        blank=True,
    )
    target_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("then route to region"),
    )
    target_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("then also give access to organisation"),
    )
    priority_override = models.PositiveSmallIntegerField(
        _("then set priority"), choices=Signal.Priority.choices, null=True, blank=True
    )
    target_area_kinds = ArrayField(
        models.CharField(max_length=32, choices=Organisation.Kind.choices),
        size=8,
        blank=True,
        default=list,
        verbose_name=_("then give access to the area's organisations of these kinds"),
        help_text=_(
            "The organisations of these kinds that serve the signal's area, or, where none does, "
            "those that serve no area (national ones), may read it."
        ),
    )
    legal_basis = models.CharField(
        _("legal basis for that access"),
        max_length=32,
        choices=Share.LegalBasis.choices,
        blank=True,
        help_text=_("Recorded with every access the rule gives, in the signal's history."),
    )
    access_days = models.PositiveSmallIntegerField(
        _("access ends after (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "The deadline of the access: it ends by itself then, unless a coordinator shares the "
            "signal again. Empty: the longest a share may last."
        ),
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_region__isnull=False)
                | models.Q(target_organisation__isnull=False)
                | models.Q(priority_override__isnull=False)
                | ~models.Q(target_area_kinds=[]),
                name="routing_rule_has_outcome",
            ),
            # Access to the area's organisations is given on a legal basis, never without one.
            models.CheckConstraint(
                condition=models.Q(target_area_kinds=[]) | ~models.Q(legal_basis=""),
                name="routing_rule_area_access_has_legal_basis",
                violation_error_message=_(
                    "Choose the legal basis on which the area's organisations get access."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """A mail about a signal to a region's coordinators.

    Created in the same transaction as the change it reports, sent by its own retrying task; the
    unique constraint makes a redelivered task find the existing row instead of mailing twice.
    """

    class Kind(models.TextChoices):
        SIGNAL_WAITING = "signal_waiting", _("A signal is waiting")
        OVERDUE = "overdue", _("A signal is overdue")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="notifications")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # Recorded while the flood switch was on: mailed with others in one digest per region
    # (services.send_flood_digests), not one by one.
    bundled = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "region", "kind"], name="one_notification_per_event"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="unsent_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.region}"


class RoutingAlert(models.Model):
    """Something that needs a person because routing could not reach anyone (routeringsalarm).

    Raised when a notification found no one to mail; shown to the national desk (its alerts page)
    and the functional admin (the Django admin) until it is resolved. The message is kept
    untranslated with its parameters, so each reader reads it in their own language.
    """

    class Kind(models.TextChoices):
        NO_RECIPIENTS = "no_recipients", _("A notification had no one to go to")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("notification"),
    )
    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="+", verbose_name=_("signal")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("area")
    )
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("routing alert")
        verbose_name_plural = _("routing alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_alert_per_notification",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return gettext(self.message) % self.params


class AreaCoverage(Region):
    """The coordinator areas as the coverage check lists them (admin: who covers each area)."""

    class Meta:
        proxy = True
        verbose_name = _("area coverage")
        verbose_name_plural = _("area coverage")


class FailedTriage(Signal):
    """Signals whose triage failed every retry (the dead letter), for the admin list."""

    class Meta:
        proxy = True
        verbose_name = _("failed triage")
        verbose_name_plural = _("failed triages")


class FloodSwitch(models.Model):
    """The national desk's switch for a flood of (bot) reports: while on, the public form asks a
    question only a person answers (intake.public), and notifications of new signals that are
    not urgent are bundled into a digest per region. One row, made when first switched."""

    is_on = models.BooleanField(_("flood measures on"), default=False)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("flood switch")
        verbose_name_plural = _("flood switch")

    def __str__(self) -> str:
        return "on" if self.is_on else "off"


class FloodAlert(models.Model):
    """Public reports in the last hour exceeded a multiple of the usual hourly rate; the national
    desk was told. At most one an hour (services.check_for_flood)."""

    raised_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reports = models.PositiveIntegerField(_("public reports in the hour"))
    usual = models.FloatField(_("usual public reports per hour"))

    class Meta:
        verbose_name = _("flood alert")
        verbose_name_plural = _("flood alerts")
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.raised_at:%Y-%m-%d %H:%M}: {self.reports}"
