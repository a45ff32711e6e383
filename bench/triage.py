"""Triage benchmark: throughput of one worker, and commit-to-triaged latency at a steady load.

Run: `.venv/bin/python -m bench.triage [--signals 2000] [--rate 5] [--seconds 30]`.
It starts its own PostgreSQL, Redis and one Celery worker (concurrency 1) and prints figures.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.stack import bench_stack


def throughput(count: int) -> tuple[float, float]:
    """Queue `count` stored signals at once. Signals per second by the worker: triaged, and
    triaged with the coordinators' notification sent (the worker runs both tasks)."""
    from regions.models import Municipality
    from signals.models import Signal, SignalEvent
    from triage.models import Notification
    from triage.tasks import triage_signal

    municipalities = list(Municipality.objects.all())
    signals = Signal.objects.bulk_create(
        Signal(
            source=Signal.Source.PUBLIC,
            language="nl",
            description="bench",
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=municipalities[i % len(municipalities)],
        )
        for i in range(count)
    )
    started = time.perf_counter()
    for signal in signals:
        triage_signal.delay(signal.pk)
    ids = [signal.pk for signal in signals]
    while Signal.objects.filter(pk__in=ids, status=Signal.Status.NEW).exists():
        time.sleep(0.05)
    triaged = time.perf_counter() - started
    while Notification.objects.filter(signal_id__in=ids, sent_at__isnull=True).exists():
        time.sleep(0.05)
    notified = time.perf_counter() - started
    assert SignalEvent.objects.filter(signal_id__in=ids, kind="triaged").count() == count
    assert Notification.objects.filter(signal_id__in=ids).count() == count
    return count / triaged, count / notified


def latency(rate: float, seconds: float) -> list[float]:
    """Submit at `rate` per second through the service; seconds from commit to triaged."""
    from intake.services import receive_signal
    from regions.models import Municipality
    from signals.models import Signal

    municipalities = list(Municipality.objects.all())
    ids = []
    interval = 1 / rate
    deadline = time.perf_counter() + seconds
    next_at = time.perf_counter()
    i = 0
    while time.perf_counter() < deadline:
        signal = receive_signal(
            source=Signal.Source.PUBLIC,
            language="nl",
            description="bench",
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=municipalities[i % len(municipalities)],
        )
        ids.append(signal.pk)
        i += 1
        next_at += interval
        time.sleep(max(0.0, next_at - time.perf_counter()))
    while Signal.objects.filter(pk__in=ids, status=Signal.Status.NEW).exists():
        time.sleep(0.05)
    return [
        (triaged_at - created_at).total_seconds()
        for created_at, triaged_at in Signal.objects.filter(pk__in=ids).values_list(
            "created_at", "triaged_at"
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signals", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=5)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with bench_stack(worker=True, concurrency=1):
        throughput(50)  # warm up the worker's connections and caches
        triaged, notified = throughput(args.signals)
        print(
            f"throughput, one worker (concurrency 1), {args.signals} signals queued at once: "
            f"{triaged:.0f} signals/s triaged; {notified:.0f} signals/s triaged and notified"
        )
        delays = latency(args.rate, args.seconds)
        print(
            f"commit → triaged at {args.rate:g} signals/s for {args.seconds:g}s "
            f"({len(delays)} signals): median {statistics.median(delays) * 1000:.0f} ms, "
            f"p95 {statistics.quantiles(delays, n=20)[-1] * 1000:.0f} ms, "
            f"max {max(delays) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
