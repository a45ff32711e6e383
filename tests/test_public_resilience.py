"""The public form under strain, over real HTTP: Redis frozen during Send, two tabs sending the
same report, bursts from one address, huge images. Never stuck, never doubled, bounded cost."""

import io
import os
import re
import signal
import threading
import time
from datetime import timedelta

import httpx
import pytest
import redis
from PIL import Image

from devstack.worker import wait_for
from signals import receipts
from signals.models import Signal, SignalEvent
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
        self.token: str | None = None

    def close(self) -> None:
        self.http.close()

    def page(self, path: str = REPORT) -> str:
        response = self.http.get(path)
        assert response.status_code == 200, response.status_code
        return response.text

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    def step(self, step: str, action: str = "next", files=None, **answers) -> httpx.Response:
        # The CSRF token of the first page serves every later post of this browser.
        if self.token is None:
            self.token = self.csrf(self.page())
        data = {"csrfmiddlewaretoken": self.token, "step": step, "action": action}
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


def test_two_tabs_sending_the_same_report_at_once_both_get_a_code_that_opens_it(
    browser, reference_data
):
    first_tab = browser()
    form = first_tab.ready_to_send("Sent from two tabs at once.")
    second_tab = browser(first_tab.http.cookies)
    # The second tab shows the same last page (a reload there, or a tab opened from it).
    second_form = {
        **form,
        "receipt": re.search(r'name="receipt" value="([^"]+)"', second_tab.page())[1],
    }
    start = threading.Barrier(2)
    answers: dict[str, httpx.Response] = {}

    def send(name: str, tab: Browser, data: dict) -> None:
        start.wait()
        answers[name] = tab.send(data)

    threads = [
        threading.Thread(target=send, args=("first", first_tab, form)),
        threading.Thread(target=send, args=("second", second_tab, second_form)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert Signal.objects.count() == 1
    codes = {name: CODE.search(answer.text)[1] for name, answer in answers.items()}
    assert codes["first"] == codes["second"]
    # The code opens the report.
    reader = browser()
    code_page = reader.page(FOLLOW_UP)
    opened = reader.http.post(
        FOLLOW_UP,
        data={
            "csrfmiddlewaretoken": reader.csrf(code_page),
            "action": "code",
            "code": codes["first"],
        },
    )
    assert opened.status_code == 302
    assert "Received." in reader.page(FOLLOW_UP)

    # A third tab left open on the report's last page, sending once the session that sent it
    # has ended (the tabs were told so by their answers), is told that the report was already
    # sent: the code never left the server, and is not shown again.
    told = first_tab.send(form)
    assert told.status_code == 409
    assert "This report was already sent" in told.text
    assert not CODE.search(told.text)
    assert Signal.objects.count() == 1


def test_a_burst_of_twelve_sends_from_one_address_stores_five(browser, reference_data, settings):
    assert settings.PUBLIC_RATE_LIMITS["report"] == 5
    reporters = [browser() for _ in range(12)]
    forms = [
        reporter.ready_to_send(f"Burst report {number}.")
        for number, reporter in enumerate(reporters)
    ]
    start = threading.Barrier(len(reporters))
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def send(reporter: Browser, form: dict) -> None:
        start.wait()
        answer = reporter.send(form)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=send, args=pair) for pair in zip(reporters, forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    statuses = sorted(answer.status_code for answer in answers)
    print(f"burst of 12 Sends: {statuses.count(200)} stored, {statuses.count(429)} refused")
    assert statuses == [200] * 5 + [429] * 7
    assert Signal.objects.count() == 5
    for answer in answers:
        if answer.status_code == 429:
            assert 0 < int(answer.headers["Retry-After"]) <= 3600
            assert "You sent many reports in a short time." in answer.text
            # The answers are kept: the reporter can send them later.
            assert "Burst report" in answer.text


def test_a_burst_of_code_guesses_checks_no_more_than_the_limit(browser, reference_data, settings):
    guesses = 20
    assert settings.PUBLIC_RATE_LIMITS["code"] == 10
    guessers = [browser() for _ in range(guesses)]
    tokens = [guesser.csrf(guesser.page(FOLLOW_UP)) for guesser in guessers]
    start = threading.Barrier(guesses)
    statuses: list[int] = []
    lock = threading.Lock()

    def guess(guesser: Browser, token: str) -> None:
        start.wait()
        answer = guesser.http.post(
            FOLLOW_UP,
            data={"csrfmiddlewaretoken": token, "action": "code", "code": receipts.new_code()},
        )
        with lock:
            statuses.append(answer.status_code)
            if answer.status_code == 429:
                assert int(answer.headers["Retry-After"]) > 0

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(guessers, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [200] * 10 + [429] * 10


def png_of(width: int, height: int) -> bytes:
    """A real PNG of width x height black and white pixels: small to send, costly to decode."""
    output = io.BytesIO()
    Image.new("1", (width, height)).save(output, format="PNG")
    return output.getvalue()


def test_huge_images_are_refused_quickly_and_decoding_and_the_photo_step_are_limited(
    browser, reference_data, settings
):
    reporter = browser()
    reporter.step("what", description="With photos.")
    forty_megapixels = png_of(8_000, 5_000)
    files = [
        ("files", (f"photo{number}.png", forty_megapixels, "image/png")) for number in range(3)
    ]
    started = time.monotonic()
    refused = reporter.step("photos", action="upload", files=files)
    elapsed = time.monotonic() - started
    print(
        f"three 40-megapixel PNGs of {len(forty_megapixels) // 1024} KB refused in {elapsed:.2f} s"
    )
    assert elapsed < 1
    assert refused.text.count("has too many pixels (at most 25 megapixels)") == 3

    # Decoding is budgeted per address: two megapixels here, so the third photo waits.
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "megapixels": 2, "upload": 2}
    one_megapixel = png_of(1_000, 1_000)
    answer = reporter.step(
        "photos",
        action="upload",
        files=[
            ("files", (f"small{number}.png", one_megapixel, "image/png")) for number in range(3)
        ],
    )
    assert answer.status_code == 200
    assert answer.text.count("You added many photos in a short time") == 1
    assert "small0.png" in answer.text and "small1.png" in answer.text

    # And the photo step itself: a third request with files is refused before any work.
    answer = reporter.step(
        "photos", action="upload", files=[("files", ("late.png", one_megapixel, "image/png"))]
    )
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) > 0
    assert "You sent many files in a short time." in answer.text
