"""Reads for the professional intake and the professional signal pages."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from access.roles import intake_organisations
from access.selectors import signals_visible_to
from organisations.models import Organisation
from signals.models import ReportingCodeStep, Signal


def drafts_of(user) -> QuerySet[Signal]:
    """The user's own unfinished intakes, for organisations they still work for."""
    return Signal.objects.filter(
        status=Signal.Status.DRAFT,
        created_by=user,
        submitted_by__in=intake_organisations(user),
    ).order_by("-updated_at")


def draft_for(user, public_id: uuid.UUID) -> Signal:
    """The user's own draft; anyone else's, or a submitted signal, answers 404."""
    signal = drafts_of(user).filter(public_id=public_id).first()
    if signal is None:
        raise Http404
    return signal


def submitted_signals_for(user) -> QuerySet[Signal]:
    """Every received signal the user may see, newest first."""
    return (
        signals_visible_to(user)
        .exclude(status=Signal.Status.DRAFT)
        .select_related("submitted_by", "region")
        .order_by("-created_at")
    )


def reporting_code_steps(
    signal: Signal, organisation: Organisation
) -> dict[int, ReportingCodeStep]:
    """The organisation's meldcode checklist on the signal, by step number."""
    rows = ReportingCodeStep.objects.filter(signal=signal, organisation=organisation)
    return {row.step: row for row in rows.select_related("done_by")}
