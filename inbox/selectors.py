"""Reads of the inbox: a person's unread cases, only those they may still open."""

from __future__ import annotations

from django.db.models import QuerySet

from access.selectors import signals_visible_to
from accounts.models import User

from .models import UnreadMark


def unread_marks(user: User) -> QuerySet[UnreadMark]:
    """The person's unread cases that they may still open, the latest news first."""
    if not user.is_authenticated:
        return UnreadMark.objects.none()
    return (
        UnreadMark.objects.filter(user=user, signal__in=signals_visible_to(user))
        .select_related("signal__region")
        .order_by("-last_event_at", "-pk")
    )


def unread_count(user: User) -> int:
    return unread_marks(user).count()


def unread_signal_ids(user: User) -> QuerySet:
    """The ids of the signals unread for the person, as a subquery."""
    return UnreadMark.objects.filter(user=user).values("signal_id")


def unread_among(user: User, signal_ids: list[int]) -> set[int]:
    """Which of these signals are unread for the person."""
    return set(
        UnreadMark.objects.filter(user=user, signal_id__in=signal_ids).values_list(
            "signal_id", flat=True
        )
    )
