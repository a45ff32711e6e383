"""Page benchmark: what each page costs as a ratio to its floor, measured side by side in one run.

Run: `.venv/bin/python -m bench.pages [--repeat 200] [--attack-seconds 20] [--workers 3]`.

It starts its own PostgreSQL and Redis (`bench/stack.py`, no worker: tasks wait in Redis) and
measures in one process through Django's test client, with the URLs of `bench/urls.py`, which add
three floors to the portal's: the full middleware stack returning an empty page (no session), the
same reading a public session, and the same for a signed-in coordinator (password and second
factor). Every path is requested once per round, round after round (`--repeat`), so that the
machine's other work weighs on all of them alike; each gets its median and p90, and its ratio to
its floor's median in the same run:

- receipt code: the follow-up sign-in (POST of a right code, from a new browser each time) and
  the report's Send (the rest of the report filled in before, not timed), against the public
  floor;
- public pages and form steps against the public floor: the start page, the form page, a step
  (POST), the follow-up code page;
- the coordinator's queue (10 rows), a busy case page and its signal page (10 connected signals,
  each in an area of its own, and 10 merged duplicates) against the signed-in floor;
- the queries each page makes.

Then, under gunicorn (`--workers` sync workers) on loopback with `TRUSTED_PROXY_COUNT=1`: the
public form page's p50/p90 from one browser at 10 requests/s, for `--attack-seconds` without and
then with an attack of 10 well-formed wrong receipt codes a second, each from another address
(X-Forwarded-For, a fresh IPv4 address or IPv6 /64 each time, so no per-client limit stops it).
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

import httpx

from bench.stack import ROOT, bench_stack
from devstack import free_port, wait_for_port

REPORT = "/en/report/"
FOLLOW_UP = "/en/report/follow-up/"
STEPS = ["what", "where", "when", "who", "involved", "kind", "signs", "danger", "photos", "contact"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT = re.compile(r'name="receipt" value="([^"]+)"')
CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}\b")


def _address() -> str:
    if random.random() < 0.5:
        return f"198.{random.randrange(18, 20)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    return f"2001:db8:{random.randrange(65536):x}:{random.randrange(65536):x}::1"


def _public_client():
    from django.test import Client

    return Client(REMOTE_ADDR=_address(), headers={"accept-language": "en"})


def _filled_in():
    """A browser at the check page of a report with its first answer given, the rest skipped."""
    client = _public_client()
    client.post(REPORT, {"step": "what", "action": "next", "description": "Workers sleep here."})
    for step in STEPS[1:]:
        client.post(REPORT, {"step": step, "action": "next"})
    return client, RECEIPT.search(client.get(REPORT).content.decode())[1]


def _world():
    """The coordinator of Amsterdam-Amstelland, signed in; a busy case of theirs; ten rows in
    their queue; receipt codes of public reports to sign in with."""
    from coordination import services as coordination
    from coordination.models import Connection
    from organisations.models import Membership
    from regions.models import Municipality, Region
    from tests.factories import CoordinationFactory, connect
    from tests.helpers import login_professional, member_of, triaged_signal_in

    organisation = CoordinationFactory(region=Region.objects.get(code="AMS"))
    coordinator = member_of(organisation, Membership.Role.COORDINATOR)
    # Every area gets a coordinator organisation to route to and to name as contact.
    for region in Region.objects.exclude(code="AMS"):
        member_of(CoordinationFactory(region=region), Membership.Role.COORDINATOR)
    case = triaged_signal_in("GM0363", description="Een loods aan de haven")
    elsewhere = (
        Municipality.objects.exclude(region__code="AMS")
        .order_by("region_id", "code")
        .distinct("region_id")
        .values_list("code", flat=True)
    )
    for number, code in enumerate(elsewhere[:10]):
        connect(case, triaged_signal_in(code), kind=Connection.Kind.PHONE, value=f"key-{number}")
    for _ in range(10):
        duplicate = triaged_signal_in("GM0363")
        coordination.merge_signals(case, duplicate, by=coordinator, reason="dezelfde loods")
    for _ in range(9):
        triaged_signal_in("GM0363", description="Nog een loods")
    from django.test import Client

    signed_in = Client(headers={"accept-language": "en"})
    login_professional(signed_in, coordinator)
    return signed_in, case


def _receipt_codes(count: int) -> list[str]:
    codes = []
    for _ in range(count):
        client, token = _filled_in()
        page = client.post(
            REPORT, {"step": "check", "action": "send", "receipt": token}
        ).content.decode()
        codes.append(CODE.search(page)[0])
    return codes


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def in_process(repeat: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.ROOT_URLCONF = "bench.urls"
    settings.PUBLIC_RATE_LIMITS = {scope: 10**9 for scope in settings.PUBLIC_RATE_LIMITS}
    coordinator, case = _world()
    public = _public_client()
    public.post(REPORT, {"step": "what", "action": "next", "description": "Workers sleep here."})
    codes = _receipt_codes(repeat + 5)
    sends = [_filled_in() for _ in range(repeat + 5)]

    def code_sign_in():
        return _public_client().post(FOLLOW_UP, {"code": codes.pop()})

    def send():
        client, token = sends.pop()
        return client.post(REPORT, {"step": "check", "action": "send", "receipt": token})

    paths = {
        # name: (floor, request, expected status)
        "floor: middleware only, no session": (
            None,
            lambda: _public_client().get("/bench/floor/"),
            200,
        ),
        "floor: public session": (None, lambda: public.get("/bench/public-floor/"), 200),
        "floor: signed-in coordinator": (
            None,
            lambda: coordinator.get("/bench/signed-in-floor/"),
            200,
        ),
        "receipt code: follow-up sign-in (POST)": ("floor: public session", code_sign_in, 302),
        "receipt code: report Send (POST)": ("floor: public session", send, 200),
        "public: start page": ("floor: public session", lambda: public.get("/en/"), 200),
        "public: form page (GET)": ("floor: public session", lambda: public.get(REPORT), 200),
        "public: form step (POST)": (
            "floor: public session",
            lambda: public.post(REPORT, {"step": "when", "action": "next"}),
            302,
        ),
        "public: follow-up code page": (
            "floor: public session",
            lambda: _public_client().get(FOLLOW_UP),
            200,
        ),
        "pro: queue (10 rows)": (
            "floor: signed-in coordinator",
            lambda: coordinator.get("/pro/queue/"),
            200,
        ),
        "pro: case page (10 connections, 10 duplicates)": (
            "floor: signed-in coordinator",
            lambda: coordinator.get(f"/pro/queue/{case.public_id}/"),
            200,
        ),
        "pro: signal page (same signal)": (
            "floor: signed-in coordinator",
            lambda: coordinator.get(f"/pro/signals/{case.public_id}/"),
            200,
        ),
    }
    times: dict[str, list[float]] = {name: [] for name in paths}
    queries: dict[str, int] = {}
    for name, (_floor, call, status) in paths.items():
        # Warm-up, and the queries of one request.
        assert call().status_code == status, name
        with CaptureQueriesContext(connection) as captured:
            call()
        queries[name] = len(captured.captured_queries)
    for _ in range(repeat):
        for name, (_floor, call, status) in paths.items():
            started = time.perf_counter()
            response = call()
            times[name].append((time.perf_counter() - started) * 1000)
            if response.status_code != status:
                raise RuntimeError(f"{name}: {response.status_code}")

    round_trips = []
    for _ in range(200):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        round_trips.append((time.perf_counter() - started) * 1000)
    print(f"\nIn process, {repeat} rounds ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    print(f"one query's round trip (SELECT 1): median {statistics.median(round_trips):.2f} ms")
    print("| path | median | p90 | floor | ratio to floor | queries |")
    print("|---|---|---|---|---|---|")
    for name, (floor, _call, _status) in paths.items():
        median = statistics.median(times[name])
        floor_median = statistics.median(times[floor]) if floor else median
        print(
            f"| {name} | {median:.2f} ms | {_percentile(times[name], 90):.2f} ms | "
            f"{floor_median:.2f} ms | {median / floor_median:.1f}x | {queries[name]} |"
        )


def _start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",
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


def _paced(rate: float, seconds: float, action) -> None:
    """`action()` `rate` times a second for `seconds`, on schedule (not after the last answer)."""
    started = time.perf_counter()
    for number in range(int(rate * seconds)):
        delay = started + number / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        action()


def under_attack(base: str, seconds: float) -> None:
    from signals import receipts

    browser = httpx.Client(base_url=base, timeout=30, headers={"x-forwarded-for": _address()})
    browser.get(REPORT)
    latencies: list[float] = []

    def form_page() -> None:
        started = time.perf_counter()
        response = browser.get(REPORT)
        latencies.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()

    attacker = httpx.Client(base_url=base, timeout=30)
    token = CSRF.search(attacker.get(FOLLOW_UP).text)[1]
    refused = []

    def wrong_code() -> None:
        response = attacker.post(
            FOLLOW_UP,
            data={"csrfmiddlewaretoken": token, "code": receipts.new_code()},
            headers={"x-forwarded-for": _address()},
        )
        refused.append(response.status_code)

    results = {}
    for label, attack in (("no attack", False), ("10 wrong codes/s", True)):
        latencies.clear()
        thread = None
        if attack:
            thread = threading.Thread(target=_paced, args=(10, seconds, wrong_code))
            thread.start()
        _paced(10, seconds, form_page)
        if thread is not None:
            thread.join()
        results[label] = (statistics.median(latencies), _percentile(latencies, 90))
    print(f"\nUnder gunicorn: the form page at 10 requests/s for {seconds:.0f} s")
    print("| | p50 | p90 |")
    print("|---|---|---|")
    for label, (p50, p90) in results.items():
        print(f"| {label} | {p50:.1f} ms | {p90:.1f} ms |")
    quiet, attacked = results["no attack"][1], results["10 wrong codes/s"][1]
    print(
        f"p90 under attack: {attacked / quiet:.2f}x without; the attack's {len(refused)} codes "
        f"were answered {sorted(set(refused))} (200: not found)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--attack-seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    args = parser.parse_args()
    for name in ["httpx", "axes", "django.request"]:
        logging.getLogger(name).setLevel(logging.ERROR)

    with bench_stack(worker=False):
        from django.core.management import call_command

        call_command("load_content", verbosity=0)
        in_process(args.repeat)
        port = free_port()
        gunicorn = _start_gunicorn(port, args.workers)
        try:
            under_attack(f"http://127.0.0.1:{port}", args.attack_seconds)
        finally:
            gunicorn.terminate()
            gunicorn.wait(30)


if __name__ == "__main__":
    main()
