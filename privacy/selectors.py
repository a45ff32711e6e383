"""Which signals are due for removal of their personal data under the retention periods."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from signals.models import Signal


def due_for_retention(now: datetime | None = None) -> QuerySet[Signal]:
    """Signals whose status has a retention period (RETENTION_DAYS) and that have not changed
    for that long, and whose personal data is still there."""
    now = now or timezone.now()
    due = Q()
    for status, days in settings.RETENTION_DAYS.items():
        due |= Q(status=status, updated_at__lt=now - timedelta(days=days))
    if not due:
        return Signal.objects.none()
    return Signal.objects.filter(due, anonymised_at__isnull=True).order_by("pk")
