"""Faults during real work: PostgreSQL restarted under a burst of reports, the mail server away.

Each test ends with what the non-negotiable asks: every report the portal accepted is stored and
triaged, and nothing is doubled (one triage history entry, one notification and one mail each).
"""

import re
import threading
import time
from collections import Counter

import httpx
import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection

from devstack import free_port
from devstack.worker import wait_for
from intake.services import receive_signal
from regions.models import Municipality
from signals import receipts
from signals.models import ExploitationForm, Signal, SignalEvent
from tests.factories import ExploitationFormFactory
from triage.models import Notification

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REPORT = "/en/report/"
LATER_STEPS = ["when", "who", "involved", "kind", "signs", "danger", "photos", "contact"]
CODE = re.compile(r'class="receipt-code"><strong>([^<]+)</strong>')


@pytest.fixture
def many_reports(settings):
    """Every reporter of a test comes from 127.0.0.1: raise the per-address limit on reports,
    and start and end without counts, so that earlier tests from that address (the API's public
    report, say) do not limit this one, nor this one later tests."""
    cache = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])

    def forget_counts() -> None:
        for pattern in ["*ratelimit:report:*", "*throttle_*"]:
            for key in cache.scan_iter(pattern):
                cache.delete(key)

    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "report": 1000}
    forget_counts()
    yield
    forget_counts()


class Reporter:
    """A browser without JavaScript on the public form. Like a person told "please try again",
    it sends the same request again while the portal answers 503."""

    def __init__(self, base_url: str, patience: float = 60) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.patience = patience
        self.statuses: Counter[int] = Counter()
        self.csrf = ""

    def request(self, method: str, data: dict | None = None, path: str = REPORT) -> httpx.Response:
        deadline = time.monotonic() + self.patience
        while True:
            response = self.http.request(method, path, data=data)
            self.statuses[response.status_code] += 1
            if response.status_code != 503 or time.monotonic() > deadline:
                return response
            time.sleep(0.2)

    def page(self) -> str:
        response = self.request("GET")
        assert response.status_code == 200, response.status_code
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)[1]
        return response.text

    def step(self, step: str, action: str = "next", **answers) -> httpx.Response:
        data = {"csrfmiddlewaretoken": self.csrf, "step": step, "action": action, **answers}
        response = self.request("POST", data)
        assert response.status_code in (200, 302), response.status_code
        return response

    def start(self, description: str) -> None:
        """Answer the first questions: what, where (Amsterdam) and what kind."""
        self.page()
        self.step("what", description=description)
        self.step("where", place="municipality", municipality="Amsterdam")

    def finish(self, kind: ExploitationForm, **answers) -> str:
        """Answer the rest, send, and return the receipt code shown."""
        answers.setdefault("kind", {"kinds": [kind.pk]})
        for step in LATER_STEPS:
            self.step(step, **answers.get(step, {}))
        check = self.page()
        token = re.search(r'name="receipt" value="([^"]+)"', check)[1]
        receipt = self.step("check", action="send", receipt=token).text
        code = CODE.search(receipt)[1]
        # Finished once the code is confirmed as saved: the next report starts afresh.
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', receipt)[1]
        data = {"csrfmiddlewaretoken": csrf, "action": "confirm", "last_four": code[-4:]}
        response = self.request("POST", data, path=REPORT + "receipt/")
        assert response.status_code == 200, response.status_code
        return code


def _assert_stored_triaged_and_told_once(codes: list[str], mails: list[str]) -> None:
    assert len(codes) == len(set(codes))
    signals = list(Signal.objects.all())
    assert len(signals) == len(codes)
    for code in codes:
        assert Signal.objects.filter(receipt_lookup=receipts.lookup_key(code)).count() == 1
    for signal in signals:
        signal.refresh_from_db()
        assert signal.status == Signal.Status.TRIAGED
        assert signal.municipality.name == "Amsterdam"
        assert signal.forms.count() == 1
        assert signal.events.filter(kind=SignalEvent.Kind.TRIAGED).count() == 1
        assert Notification.objects.filter(signal=signal).count() == 1
        assert sum(f"/pro/queue/{signal.public_id}/" in mail for mail in mails) == 1


def test_reports_sent_while_postgresql_restarts_are_stored_once_and_triaged(
    coordinators, celery_worker, live_server, services, many_reports, request
):
    for path in celery_worker.mail_dir.iterdir():
        path.unlink()
    labour = ExploitationFormFactory(code="labour", name="Labour exploitation")
    accepted: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    reporters = [Reporter(live_server.url) for _ in range(3)]

    def burst(reporter: Reporter, number: int) -> None:
        sent = 0
        while not stop.is_set():
            sent += 1
            reporter.start(f"Report {sent} from reporter {number}.")
            code = reporter.finish(labour)
            with lock:
                accepted.append(code)

    threads = [
        threading.Thread(target=burst, args=(reporter, number), daemon=True)
        for number, reporter in enumerate(reporters)
    ]
    # A reporter halfway through the form when the database goes away.
    halfway = Reporter(live_server.url)
    halfway.start("Seen before the outage.")
    for thread in threads:
        thread.start()
    for reporter in [*reporters, halfway]:
        # The server's thread for a kept-alive connection keeps its database connection open.
        request.addfinalizer(reporter.http.close)

    wait_for(lambda: len(accepted) >= 3, timeout=60)
    services.postgres.stop(mode="fast")
    try:
        during = halfway.http.post(
            REPORT,
            data={
                "csrfmiddlewaretoken": halfway.csrf,
                "step": "when",
                "action": "next",
                "occurred_when": "During the outage",
            },
        )
        api = httpx.post(
            f"{live_server.url}/api/v1/signals/public/",
            json={"description": "Sent through the API.", "location_kind": "online"},
            headers={"Accept-Language": "en"},
        )
        time.sleep(1)
    finally:
        services.postgres.start()
    connection.close()
    before_restart = len(accepted)
    wait_for(lambda: len(accepted) >= before_restart + 3, timeout=60)
    stop.set()
    for thread in threads:
        thread.join(60)

    # A clear, retryable answer in the reporter's language, not a server error.
    assert during.status_code == 503
    assert during.headers["Retry-After"]
    assert "no-store" in during.headers["Cache-Control"]
    assert 'lang="en"' in during.text
    assert "Please try again in a moment" in during.text
    assert "Leave this site quickly" in during.text
    assert api.status_code == 503
    assert api.headers["Retry-After"]
    assert api.json()["error"]["code"] == "unavailable"
    # After the outage the same answer goes through and the earlier answers are still there.
    summary_code = halfway.finish(labour, when={"occurred_when": "During the outage"})
    accepted.append(summary_code)
    statuses = sum((reporter.statuses for reporter in [*reporters, halfway]), Counter())
    assert set(statuses) <= {200, 302, 503}, statuses
    summary = Signal.objects.get(receipt_lookup=receipts.lookup_key(summary_code))
    assert summary.description == "Seen before the outage."
    assert summary.occurred_when == "During the outage"

    wait_for(lambda: not Signal.objects.filter(status=Signal.Status.NEW).exists(), timeout=60)
    wait_for(lambda: not Notification.objects.filter(sent_at__isnull=True).exists(), timeout=60)
    celery_worker.settle()
    _assert_stored_triaged_and_told_once(accepted, celery_worker.mails())


class MailServer:
    """A real SMTP server on a port of its own that the test stops and starts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mails: list[str] = []
        self.recipients: list[list[str]] = []
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):
        self.mails.append(envelope.content.decode())
        self.recipients.append(envelope.rcpt_tos)
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
        self.controller = None


@pytest.fixture
def mail_server():
    server = MailServer()
    yield server
    server.stop()


@pytest.fixture
def smtp_worker(celery_worker, mail_server):
    """The test run's worker, started again to send its mail over SMTP to `mail_server`."""
    celery_worker.stop()
    celery_worker.start(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_server.port),
    )
    yield celery_worker
    celery_worker.settle()
    celery_worker.stop()
    celery_worker.start()


def test_mails_wait_while_the_mail_server_is_down_and_go_out_once(
    coordinators, smtp_worker, mail_server
):
    amsterdam = Municipality.objects.get(code="GM0363")
    signals = [
        receive_signal(
            source=Signal.Source.PUBLIC,
            language="en",
            description=f"Signal {number} while the mail server is down.",
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=amsterdam,
        )
        for number in range(3)
    ]

    # Every signal is triaged, and its mail failed at least once against the closed port.
    wait_for(
        lambda: (
            Notification.objects.filter(signal__in=signals)
            .exclude(last_error="")
            .filter(sent_at__isnull=True)
            .count()
            == 3
        ),
        timeout=60,
    )
    assert mail_server.mails == []

    mail_server.start()
    # The send task retries with exponential backoff and jitter: after a few failures the next
    # try may be half a minute or more away.
    wait_for(
        lambda: not Notification.objects.filter(signal__in=signals, sent_at__isnull=True).exists(),
        timeout=120,
    )
    smtp_worker.settle()
    assert len(mail_server.mails) == 3
    for signal in signals:
        signal.refresh_from_db()
        assert signal.status == Signal.Status.TRIAGED
        assert signal.events.filter(kind=SignalEvent.Kind.TRIAGED).count() == 1
        assert Notification.objects.filter(signal=signal).count() == 1
        assert sum(f"/pro/queue/{signal.public_id}/" in mail for mail in mail_server.mails) == 1
    coordinator = f"zc-{amsterdam.region.code.lower()}@example.nl"
    assert all(coordinator in recipients for recipients in mail_server.recipients)


class SlowMailServer(MailServer):
    """A mail server that takes a moment per mail, and that can be told it is going away: from
    then on it refuses mail (421) instead of accepting it, so that a mail is either delivered
    and answered 250, or refused; nothing is half delivered when it stops."""

    def __init__(self) -> None:
        super().__init__()
        self.stopping = False

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(0.2)
        if self.stopping:
            return "421 Going away"
        return await super().handle_DATA(server, session, envelope)

    def stop_in_the_middle(self) -> None:
        self.stopping = True
        time.sleep(0.5)  # the mail in hand is answered before the server goes
        self.stop()
        self.stopping = False


@pytest.fixture
def slow_mail_server():
    server = SlowMailServer()
    server.start()
    yield server
    server.stop()


def test_the_mail_server_stopping_during_a_burst_loses_and_doubles_no_mail(
    coordinators, celery_worker, slow_mail_server
):
    celery_worker.stop()
    celery_worker.start(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(slow_mail_server.port),
    )
    try:
        amsterdam = Municipality.objects.get(code="GM0363")
        signals = [
            receive_signal(
                source=Signal.Source.PUBLIC,
                language="en",
                description=f"Signal {number} of a burst.",
                location_kind=Signal.LocationKind.MUNICIPALITY,
                municipality=amsterdam,
            )
            for number in range(8)
        ]
        wait_for(lambda: len(slow_mail_server.mails) >= 2, timeout=60)
        slow_mail_server.stop_in_the_middle()
        before = len(slow_mail_server.mails)
        assert before < len(signals)

        # Every mail not delivered failed at least once against the stopped server.
        def unsent():
            return Notification.objects.filter(signal__in=signals, sent_at__isnull=True)

        wait_for(
            lambda: (
                unsent().count() == len(signals) - before
                and not unsent().filter(last_error="").exists()
            ),
            timeout=90,
        )
        slow_mail_server.start()
        wait_for(lambda: not unsent().exists(), timeout=120)
        celery_worker.settle()
        assert len(slow_mail_server.mails) == len(signals)
        for signal in signals:
            assert Notification.objects.filter(signal=signal).count() == 1
            link = f"/pro/queue/{signal.public_id}/"
            assert sum(link in mail for mail in slow_mail_server.mails) == 1
            assert signal.events.filter(kind=SignalEvent.Kind.TRIAGED).count() == 1
    finally:
        celery_worker.settle()
        celery_worker.stop()
        celery_worker.start()
