"""Load benchmark: the portal under gunicorn on loopback, with PostgreSQL, Redis and a worker.

Run: `.venv/bin/python -m bench.load [--seconds 60] [--clients 4] [--workers 3]`.

It starts its own PostgreSQL, Redis and one Celery worker (`bench/stack.py`) and gunicorn on
127.0.0.1 (sync workers), then runs three phases with the same client threads (httpx):

1. the floor: `/healthz/live`, a Django view that touches nothing, alone;
2. intake alone: reports through the real public form, step by step as a browser without
   JavaScript sends them (CSRF token, session cookie, one POST per step, the receipt token);
3. the mix, for `--seconds`: each client in turn sends a report, follows up a report with its
   receipt code (the code sign-in, an HMAC lookup, reported on its own), or,
   signed in as a coordinator of Amsterdam-Amstelland (password and second factor), opens the
   queue.

It prints per kind of request: requests/s, p50/p95/p99 latency and errors; the intake as a ratio
to the floor; and, after the worker has drained, that the signals in the database are exactly the
reports the server accepted, each triaged once. The per-address limits of the public form are
raised through their settings (`PUBLIC_RATE_REPORTS`, `PUBLIC_RATE_CODE_ATTEMPTS`): every client
comes from 127.0.0.1.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import httpx

from bench.stack import ROOT, bench_stack
from devstack import free_port, wait_for_port

REPORT = "/en/report/"
FOLLOW_UP = "/en/report/follow-up/"
STEPS = ["what", "where", "when", "who", "kind", "signs", "danger", "photos", "contact"]
MUNICIPALITIES = ["Amsterdam", "Rotterdam", "Utrecht", "Westland", "Groningen", "Maastricht"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT = re.compile(r'name="receipt" value="([^"]+)"')
CODE = re.compile(r'class="receipt-code"><strong>([^<]+)</strong>')
# Each client in the mix: a report, a follow-up or a look at the queue, in these proportions.
MIX = {"report": 2, "follow_up": 1, "queue": 1}


@dataclass
class Results:
    """Latencies and errors per kind of request, and the receipt codes the server handed out."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    codes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1


class Client:
    """One browser: its own cookies, sequential requests."""

    def __init__(self, base_url: str, results: Results, session: str | None = None) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=60)
        if session:
            self.http.cookies.set("sessionid", session)
        self.results = results
        self.codes: list[str] = []

    def call(self, kind: str, method: str, url: str, expect: int, **kwargs) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.HTTPError:
            self.results.record(kind, time.perf_counter() - started, ok=False)
            raise
        self.results.record(kind, time.perf_counter() - started, response.status_code == expect)
        if response.status_code != expect:
            raise RuntimeError(f"{kind}: {response.status_code}")
        return response

    def live(self) -> None:
        self.call("floor: /healthz/live", "GET", "/healthz/live", 200)

    def report(self) -> None:
        page = self.call("report: GET step page", "GET", REPORT, 200).text
        token = CSRF.search(page)[1]
        answers = {
            "what": {"description": "Workers sleep in the greenhouse; their boss keeps papers."},
            "where": {"place": "municipality", "municipality": random.choice(MUNICIPALITIES)},
            "when": {"occurred_when": "Every night"},
        }
        for step in STEPS:
            data = {"csrfmiddlewaretoken": token, "step": step, "action": "next"}
            data.update(answers.get(step, {}))
            self.call("report: POST step", "POST", REPORT, 302, data=data)
        check = self.call("report: GET step page", "GET", REPORT, 200).text
        data = {
            "csrfmiddlewaretoken": token,
            "step": "check",
            "action": "send",
            "receipt": RECEIPT.search(check)[1],
        }
        receipt = self.call("report: POST send", "POST", REPORT, 200, data=data).text
        code = CODE.search(receipt)[1]
        # A reporter finishes by typing the code's end, as people do; the next report starts anew.
        data = {
            "csrfmiddlewaretoken": CSRF.search(receipt)[1],
            "action": "confirm",
            "last_four": code[-4:],
        }
        self.call("report: POST confirm code", "POST", REPORT + "receipt/", 200, data=data)
        self.codes.append(code)
        with self.results.lock:
            self.results.codes.append(code)

    def follow_up(self) -> None:
        page = self.call("follow-up: GET code page", "GET", FOLLOW_UP, 200).text
        data = {"csrfmiddlewaretoken": CSRF.search(page)[1], "code": random.choice(self.codes)}
        self.call("follow-up: POST code", "POST", FOLLOW_UP, 302, data=data)
        self.call("follow-up: GET conversation", "GET", FOLLOW_UP, 200)
        # Forget the session, so that the next follow-up starts at the code page again.
        self.http.cookies.delete("sessionid")

    def queue(self) -> None:
        self.call("queue: GET /pro/queue/", "GET", "/pro/queue/", 200)


def _run_phase(seconds: float, clients: list, action) -> float:
    """Run `action(client)` in a loop on one thread per client for `seconds`; the elapsed time."""
    stop = threading.Event()

    def loop(client) -> None:
        while not stop.is_set():
            try:
                action(client)
            except (httpx.HTTPError, RuntimeError, TypeError):
                # Counted as an error by Client.call (a missing token is a TypeError); go on.
                continue

    threads = [threading.Thread(target=loop, args=(client,)) for client in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _mixed(pair: tuple[Client, Client]) -> None:
    public, coordinator = pair
    kind = random.choices(list(MIX), weights=list(MIX.values()))[0]
    if kind == "report" or not public.codes:
        public.report()
    elif kind == "follow_up":
        public.follow_up()
    else:
        coordinator.queue()


def _coordinator_sessions(count: int) -> list[str]:
    """Session ids of `count` coordinators of Amsterdam-Amstelland, signed in with password and
    second factor, and coordinator organisations with an address for every region."""
    from django.test import Client as DjangoClient

    from organisations.models import Membership
    from organisations.services import add_member
    from regions.models import Municipality
    from tests.factories import UserFactory
    from tests.helpers import coordinator_organisations_per_region, login_professional

    amsterdam = Municipality.objects.get(name="Amsterdam").region
    organisation = coordinator_organisations_per_region()[amsterdam]
    sessions = []
    for number in range(count):
        user = UserFactory(email=f"zc{number}@amsterdam.bench")
        add_member(organisation, user=user, roles=[Membership.Role.COORDINATOR])
        client = DjangoClient()
        login_professional(client, user)
        sessions.append(client.cookies["sessionid"].value)
    return sessions


def _start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PUBLIC_RATE_REPORTS": "1000000",
        "PUBLIC_RATE_CODE_ATTEMPTS": "1000000",
        "LOG_LEVEL": "ERROR",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "meldpunt.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    wait_for_port(port, timeout=60)
    return process


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0


def _print_table(title: str, results: Results, elapsed: float) -> None:
    print(f"\n{title} ({elapsed:.0f} s)")
    print(f"{'request':34} {'count':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} err")
    for kind, values in sorted(results.latencies.items()):
        print(
            f"{kind:34} {len(values):7d} {len(values) / elapsed:7.1f}"
            f" {_percentile(values, 50) * 1000:7.0f} {_percentile(values, 95) * 1000:7.0f}"
            f" {_percentile(values, 99) * 1000:7.0f} {results.errors.get(kind, 0)}"
        )


def _wait_for_worker(timeout: float = 600) -> float:
    from signals.models import Signal
    from triage.models import Notification

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if (
            not Signal.objects.filter(status=Signal.Status.NEW).exists()
            and not Notification.objects.filter(sent_at__isnull=True).exists()
        ):
            break
        time.sleep(0.5)
    return time.perf_counter() - started


def _check_everything_stored(codes: list[str]) -> None:
    from signals import receipts
    from signals.models import Signal, SignalEvent
    from triage.models import Notification

    stored = Signal.objects.count()
    triaged = Signal.objects.filter(status=Signal.Status.TRIAGED).count()
    found = Signal.objects.filter(
        receipt_lookup__in=[receipts.lookup_key(code) for code in codes]
    ).count()
    events = SignalEvent.objects.filter(kind=SignalEvent.Kind.TRIAGED).count()
    notifications = Notification.objects.count()
    print(
        f"\naccepted (receipt pages): {len(codes)}; distinct codes: {len(set(codes))}; "
        f"signals in the database: {stored}; found by their codes: {found}; triaged: {triaged}; "
        f"triage history entries: {events}; notifications: {notifications}"
    )
    consistent = len(set(codes)) == len(codes) == stored == found == triaged == events
    print("accepted = stored = triaged, once each:", "yes" if consistent else "NO")
    if not consistent:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60, help="length of the mixed load")
    parser.add_argument("--clients", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--floor-seconds", type=float, default=10)
    parser.add_argument("--intake-seconds", type=float, default=30)
    args = parser.parse_args()
    # The portal's settings log at INFO; httpx would log every request, axes every sign-in.
    for name in ["httpx", "axes"]:
        logging.getLogger(name).setLevel(logging.WARNING)

    with bench_stack(worker=True, concurrency=1):
        from django.core.management import call_command

        call_command("load_content", verbosity=0)
        sessions = _coordinator_sessions(args.clients)
        port = free_port()
        gunicorn = _start_gunicorn(port, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            print(
                f"gunicorn {args.workers} sync workers on 127.0.0.1, {args.clients} client "
                f"threads (httpx), one Celery worker (concurrency 1); {os.cpu_count()} cores"
            )
            floor = Results()
            clients = [Client(base, floor) for _ in range(args.clients)]
            _run_phase(2, clients, Client.live)  # warm-up: every gunicorn worker imports Django
            floor = Results()
            for client in clients:
                client.results = floor
            floor_time = _run_phase(args.floor_seconds, clients, Client.live)
            _print_table("1. floor: a Django view that touches nothing, alone", floor, floor_time)

            intake = Results()
            for client in clients:
                client.results = intake
            intake_time = _run_phase(args.intake_seconds, clients, Client.report)
            _print_table("2. intake alone: reports through the public form", intake, intake_time)

            mixed = Results()
            coordinators = [Client(base, mixed, session) for session in sessions]
            for client in clients:
                client.results = mixed
            pairs = list(zip(clients, coordinators, strict=True))
            mixed_time = _run_phase(args.seconds, pairs, _mixed)
            _print_table("3. the mix: reports, follow-ups, coordinator queue", mixed, mixed_time)
        finally:
            gunicorn.terminate()
            gunicorn.wait(30)

        floor_rate = sum(map(len, floor.latencies.values())) / floor_time
        intake_requests = sum(map(len, intake.latencies.values())) / intake_time
        reports = len(intake.codes) / intake_time
        print(
            f"\nfloor: {floor_rate:.0f} requests/s. Intake alone: {intake_requests:.1f} form "
            f"requests/s = {intake_requests / floor_rate:.2f} of the floor; "
            f"{reports:.2f} reports/s "
            f"({len(STEPS) + 3} requests each). In the mix: {len(mixed.codes) / mixed_time:.2f} "
            "reports/s"
        )
        drained = _wait_for_worker()
        print(f"worker drained {drained:.0f} s after the load ended")
        _check_everything_stored(intake.codes + mixed.codes)


if __name__ == "__main__":
    main()
