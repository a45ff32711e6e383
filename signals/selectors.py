"""Queries on signals."""

from datetime import datetime

from .models import Signal


def untriaged_signal_ids(*, older_than: datetime, limit: int = 1000) -> list[int]:
    return list(
        Signal.objects.filter(status=Signal.Status.NEW, created_at__lt=older_than)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
