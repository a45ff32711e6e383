"""Reads about case conferences (signaaltafels). Who is at the table is decided in
`access.roles.conference_organisations`: only the participating organisations see a conference."""

from __future__ import annotations

import uuid

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from access.roles import conference_organisations
from signals.models import Signal

from .models import CaseConference


def conferences_visible_to(user) -> QuerySet[CaseConference]:
    """The conferences one of the user's organisations takes part in, latest first, with how
    many of their actions are still open and how many of those are past their date."""
    today = timezone.localdate()
    return (
        CaseConference.objects.filter(
            pk__in=CaseConference.objects.filter(
                participants__in=conference_organisations(user)
            ).values("pk")
        )
        .select_related("convened_by", "signal")
        .prefetch_related("participants")
        .annotate(
            open_actions=Count("actions", filter=Q(actions__done_at__isnull=True)),
            late_actions=Count(
                "actions", filter=Q(actions__done_at__isnull=True, actions__due_on__lt=today)
            ),
        )
        .order_by("-held_on", "-pk")
    )


def conference_for(user, public_id: uuid.UUID | str) -> CaseConference:
    """A conference the user's organisation takes part in; any other answers 404."""
    conference = conferences_visible_to(user).filter(public_id=public_id).first()
    if conference is None:
        raise Http404
    return conference


def conferences_of(signal: Signal) -> QuerySet[CaseConference]:
    """A case's conferences, for its handlers on the case page."""
    return signal.case_conferences.select_related("convened_by").order_by("-held_on", "-pk")
