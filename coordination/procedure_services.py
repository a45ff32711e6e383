"""The procedures a coordinator tracks on a case (signals.models.procedures): recording them, and
the reminder before a reflection period (bedenktijd) ends.

Each recording keeps the procedure's current state in its one row per signal and writes what was
recorded to the signal's history, in one transaction. The reminder is found in the database by a
periodic task (`coordination.tasks.remind_reflection_periods`), never parked in the broker.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from inbox.services import case_link, handlers_of
from signals.models import (
    PoliceHandover,
    ReflectionPeriod,
    ReportingDecision,
    ResidenceApplication,
    Signal,
    SignalEvent,
)

from .selectors import CLOSED_STATUSES, short_reference


def _not_in_future(**dates: date | None) -> None:
    today = timezone.localdate()
    errors = {
        name: ValidationError(_("The date must not be in the future."), code="future")
        for name, value in dates.items()
        if value is not None and value > today
    }
    if errors:
        raise ValidationError(errors)


def _not_before(later: str, value: date | None, earliest: date, message: str) -> None:
    if value is not None and value < earliest:
        raise ValidationError({later: ValidationError(message, code="before_start")})


def _event(signal: Signal, kind: str, by: User | None, detail: dict) -> None:
    SignalEvent.objects.create(signal=signal, kind=kind, actor=by, detail=detail)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def record_reflection_period(
    signal: Signal,
    *,
    by: User,
    offered_by: str,
    starts_on: date,
    outcome: str = "",
    outcome_on: date | None = None,
    b8_follows: bool = False,
) -> ReflectionPeriod:
    """Record the reflection period offered to the case's possible victim, or change it: who
    offered it, from when (the end follows, three months later), and how it ended. A new end date
    gets its own reminder."""
    _not_in_future(starts_on=starts_on, outcome_on=outcome_on)
    if outcome and outcome_on is None:
        raise ValidationError(
            {"outcome_on": ValidationError(_("Give the date of the outcome."), code="required")}
        )
    _not_before(
        "outcome_on", outcome_on, starts_on, _("The outcome cannot be before the period started.")
    )
    with transaction.atomic():
        period = ReflectionPeriod.objects.select_for_update().filter(signal=signal).first()
        if period is None:
            period = ReflectionPeriod(signal=signal)
        old_end = period.ends_on if period.pk else None
        period.offered_by = offered_by
        period.starts_on = starts_on
        period.outcome = outcome
        period.outcome_on = outcome_on if outcome else None
        period.b8_follows = b8_follows
        period.recorded_by = by
        period.save()
        if old_end is not None and period.ends_on != old_end:
            ReflectionPeriod.objects.filter(pk=period.pk).update(reminded_at=None)
        _event(
            signal,
            SignalEvent.Kind.REFLECTION_PERIOD,
            by,
            {
                "start": starts_on.isoformat(),
                "end": period.ends_on.isoformat(),
                "offered_by": offered_by,
                "outcome": outcome,
                "outcome_on": _iso(period.outcome_on),
                "b8_follows": b8_follows,
            },
        )
    return period


def record_residence_application(
    signal: Signal,
    *,
    by: User,
    applied_on: date,
    outcome: str = "",
    decided_on: date | None = None,
) -> ResidenceApplication:
    """Record the B8/3 residence application and, once the IND decided, its decision."""
    _not_in_future(applied_on=applied_on, decided_on=decided_on)
    if outcome and decided_on is None:
        raise ValidationError(
            {"decided_on": ValidationError(_("Give the date of the decision."), code="required")}
        )
    _not_before(
        "decided_on", decided_on, applied_on, _("The decision cannot be before the application.")
    )
    with transaction.atomic():
        application, _created = ResidenceApplication.objects.update_or_create(
            signal=signal,
            defaults={
                "applied_on": applied_on,
                "outcome": outcome,
                "decided_on": decided_on if outcome else None,
                "recorded_by": by,
            },
        )
        _event(
            signal,
            SignalEvent.Kind.RESIDENCE_APPLICATION,
            by,
            {
                "applied_on": applied_on.isoformat(),
                "outcome": outcome,
                "decided_on": _iso(application.decided_on),
            },
        )
    return application


def record_reporting_decision(
    signal: Signal, *, by: User, decision: str, decided_on: date | None = None
) -> ReportingDecision:
    """Record whether the possible victim reports to the police (aangifte), as they decided."""
    _not_in_future(decided_on=decided_on)
    if decision != ReportingDecision.Decision.UNDECIDED and decided_on is None:
        raise ValidationError(
            {"decided_on": ValidationError(_("Give the date of the decision."), code="required")}
        )
    with transaction.atomic():
        row, _created = ReportingDecision.objects.update_or_create(
            signal=signal,
            defaults={"decision": decision, "decided_on": decided_on, "recorded_by": by},
        )
        _event(
            signal,
            SignalEvent.Kind.REPORTING_DECISION,
            by,
            {"decision": decision, "decided_on": _iso(decided_on)},
        )
    return row


def record_police_handover(
    signal: Signal,
    *,
    by: User,
    handed_over_on: date,
    feedback: str = "",
    feedback_on: date | None = None,
) -> PoliceHandover:
    """Record that the case was handed over to the police, and what they fed back. The history
    says that feedback came and when; the feedback itself stays in the handover, encrypted."""
    _not_in_future(handed_over_on=handed_over_on, feedback_on=feedback_on)
    feedback = feedback.strip()
    if feedback and feedback_on is None:
        raise ValidationError(
            {"feedback_on": ValidationError(_("Give the date of the feedback."), code="required")}
        )
    _not_before(
        "feedback_on",
        feedback_on,
        handed_over_on,
        _("The feedback cannot be before the handover."),
    )
    with transaction.atomic():
        handover, _created = PoliceHandover.objects.update_or_create(
            signal=signal,
            defaults={
                "handed_over_on": handed_over_on,
                "feedback": feedback,
                "feedback_on": feedback_on,
                "recorded_by": by,
            },
        )
        _event(
            signal,
            SignalEvent.Kind.POLICE_HANDOVER,
            by,
            {
                "handed_over_on": handed_over_on.isoformat(),
                "feedback_on": _iso(feedback_on),
            },
        )
    return handover


def reflection_periods_to_remind(today: date):
    """Periods that end within the warning days and were not reminded of: still running (no
    outcome, or taken), on a case that is still open and still holds its data."""
    return (
        ReflectionPeriod.objects.filter(
            reminded_at__isnull=True,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=settings.REFLECTION_PERIOD_WARN_DAYS),
            outcome__in=[ReflectionPeriod.Outcome.OPEN, ReflectionPeriod.Outcome.TAKEN],
            signal__anonymised_at__isnull=True,
        )
        .exclude(signal__status__in=CLOSED_STATUSES)
        .order_by("ends_on", "pk")
    )


def send_reflection_reminders(*, today: date | None = None) -> int:
    """Mail the people handling each case whose reflection period ends within
    REFLECTION_PERIOD_WARN_DAYS (its assignee, else its coordinators), once per period: the row's
    `reminded_at` is set in the transaction that mails, so a second run, or a second worker
    (the row is locked, `skip_locked`), mails nobody again, and a mail error rolls it back for the
    next run. The mail names no person. Returns the number of periods reminded of."""
    today = today or timezone.localdate()
    reminded = 0
    for period_id in reflection_periods_to_remind(today).values_list("pk", flat=True):
        with transaction.atomic():
            period = (
                ReflectionPeriod.objects.select_for_update(skip_locked=True)
                .filter(pk=period_id, reminded_at__isnull=True)
                .select_related("signal")
                .first()
            )
            if period is None:
                continue
            signal = period.signal
            people = sorted({user.email for user in handlers_of(signal)} - {""})
            if people:
                with translation.override(settings.LANGUAGE_CODE):
                    subject, body = reflection_reminder_text(signal, period)
                EmailMessage(subject, body, bcc=people).send()
            period.reminded_at = timezone.now()
            period.save(update_fields=["reminded_at"])
            _event(
                signal,
                SignalEvent.Kind.REFLECTION_REMINDER,
                None,
                {"end": period.ends_on.isoformat(), "mailed": len(people)},
            )
            reminded += 1
    return reminded


def reflection_reminder_text(signal: Signal, period: ReflectionPeriod) -> tuple[str, str]:
    reference = short_reference(signal)
    end = date_format(period.ends_on, "SHORT_DATE_FORMAT")
    subject = _("Meldpunt: the reflection period in case %(reference)s ends on %(date)s") % {
        "reference": reference,
        "date": end,
    }
    body = _(
        "The reflection period (bedenktijd) in case %(reference)s ends on %(date)s. Talk with the "
        "possible victim about their decision on reporting to the police, and record the outcome "
        "on the case page:\n%(link)s\n"
    ) % {"reference": reference, "date": end, "link": case_link(signal, handles=True)}
    return subject, body
