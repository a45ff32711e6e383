"""The public form under strain, over real HTTP: Redis frozen during Send, two tabs sending the
same report, bursts from one address, huge images. Never stuck, never doubled, bounded cost."""

import os
import re
import signal
import time
from datetime import timedelta

import httpx
import pytest
import redis

from meldpunt.core import queueing
from signals import receipts
from signals.models import Signal, SignalEvent
from tests.conftest import wait_for
from triage.services import requeue_unfinished_work

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REPORT = "/en/report/"
FOLLOW_UP = "/en/report/follow-up/"
CODE = re.compile(r'class="receipt-code"><strong>([^<]+)</strong>')


@pytest.fixture
def no_counts(settings):
    """Every client of these tests comes from 127.0.0.1: start and end without counts of earlier
    tests from that address."""
    cache = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])

    def forget() -> None:
        for key in cache.scan_iter("*ratelimit:*"):
            cache.delete(key)

    forget()
    yield
    forget()


class Browser:
    """A browser without JavaScript on the public form, over real HTTP."""

    def __init__(self, base_url: str, cookies: httpx.Cookies | None = None) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30, cookies=cookies)

    def close(self) -> None:
        self.http.close()

    def page(self, path: str = REPORT) -> str:
        response = self.http.get(path)
        assert response.status_code == 200, response.status_code
        return response.text

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    def step(self, step: str, action: str = "next", files=None, **answers) -> httpx.Response:
        data = {"csrfmiddlewaretoken": self.csrf(self.page()), "step": step, "action": action}
        return self.http.post(REPORT, data={**data, **answers}, files=files)

    def ready_to_send(self, description: str) -> dict:
        """Answer the first question, skip the rest; the Send form's fields, as the last page
        shows them."""
        self.step("what", description=description)
        for step in ["where", "when", "who", "kind", "signs", "danger", "photos", "contact"]:
            self.step(step)
        check = self.page()
        return {
            "csrfmiddlewaretoken": self.csrf(check),
            "step": "check",
            "action": "send",
            "receipt": re.search(r'name="receipt" value="([^"]+)"', check)[1],
        }

    def send(self, form: dict) -> httpx.Response:
        return self.http.post(REPORT, data=form)


@pytest.fixture
def browser(live_server, no_counts):
    opened: list[Browser] = []

    def open_browser(cookies: httpx.Cookies | None = None) -> Browser:
        opened.append(Browser(live_server.url, cookies))
        return opened[-1]

    yield open_browser
    for each in opened:
        each.close()


def test_send_with_redis_frozen_answers_within_3_seconds_and_is_triaged_once_later(
    browser, services, celery_worker, reference_data, settings
):
    reporter = browser()
    form = reporter.ready_to_send("Sent while Redis was frozen.")
    redis_pid = services.redis.process.pid
    os.kill(redis_pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = reporter.send(form)
        elapsed = time.monotonic() - started
    finally:
        os.kill(redis_pid, signal.SIGCONT)
        queueing.resume_broker()
    print(f"Send with Redis frozen answered in {elapsed:.2f} s")
    assert response.status_code == 200
    code = CODE.search(response.text)[1]
    assert elapsed < 3
    stored = Signal.objects.get()
    assert stored.receipt_lookup == receipts.lookup_key(code)

    # The sweeper sends what the frozen broker did not take (perhaps a second time: the publish
    # that timed out may still reach Redis when it resumes); triage happens once.
    settings.SIGNAL_REQUEUE_AFTER = timedelta(0)
    requeue_unfinished_work()
    wait_for(lambda: Signal.objects.get().status == Signal.Status.TRIAGED, timeout=30)
    celery_worker.settle()
    assert stored.events.filter(kind=SignalEvent.Kind.TRIAGED).count() == 1
