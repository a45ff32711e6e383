import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

from devstack import celery_worker_command
from devstack.pytest_plugin import services as _services

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def services():
    """The run's own PostgreSQL and Redis, for tests that stop and start them."""
    if _services.external:
        pytest.skip("needs the run's own servers; DATABASE_URL and REDIS_URL point elsewhere")
    return _services


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in another language (the test client
    activates it for the thread) must not decide which translated field the next test writes."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def reporter(reference_data):
    """A reporter at the photo step of the public form."""
    from tests.helpers import reporter_at_the_photo_step

    return reporter_at_the_photo_step()


@pytest.fixture
def reference_data(db):
    """Regions, the national desk and every municipality, as `manage.py load_regions` loads them."""
    from regions.services import load_regions

    load_regions()


@pytest.fixture
def coordinators(reference_data):
    """A coordinator organisation with a mail address for every region, by region."""
    from tests.helpers import coordinator_organisations_per_region

    return coordinator_organisations_per_region()


class Worker:
    """A real Celery worker process against the test database and the run's Redis."""

    APPLICATION_NAME = "meldpunt-test-worker"

    def __init__(self, database_url: str, workdir: Path) -> None:
        self.database_url = database_url
        self.log = workdir / "worker.log"
        # The worker is another process: its mails go to files the tests can read.
        self.mail_dir = workdir / "mail"
        self.mail_dir.mkdir()
        self.process: subprocess.Popen | None = None

    def start(self, **extra_env: str) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "meldpunt.settings.test",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "PGAPPNAME": self.APPLICATION_NAME,
            **extra_env,
        }
        self.log.write_bytes(b"")
        self.process = subprocess.Popen(
            celery_worker_command(concurrency=1, alone=True),
            cwd=ROOT,
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_until_ready()

    def wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b"ready." in self.log.read_bytes():
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited:\n{self.log.read_text()}")
            time.sleep(0.1)
        raise TimeoutError(f"worker not ready:\n{self.log.read_text()}")

    def pool_pids(self) -> list[int]:
        """The pool processes that run the tasks (children of the worker's main process)."""
        import psutil

        return [child.pid for child in psutil.Process(self.process.pid).children()]

    def mails(self) -> list[str]:
        return [path.read_text() for path in sorted(self.mail_dir.iterdir())]

    def is_idle(self) -> bool:
        """No task queued, reserved or running, and no transaction open in the worker."""
        import redis
        from django.conf import settings

        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        if broker.llen("celery") or broker.hlen("unacked"):
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE application_name = %s AND state <> 'idle'",
                [self.APPLICATION_NAME],
            )
            return cursor.fetchone()[0] == 0

    def settle(self, timeout: float = 30) -> None:
        """Wait for the work a test started to finish, so that the database flush after the test
        does not deadlock with a task still writing. A worker that does not settle is replaced."""
        deadline = time.monotonic() + timeout
        # Kombu moves a message from the queue to the unacked set in two steps, so one idle look
        # can fall between them: only idle on several looks in a row counts.
        idle_looks = 0
        while time.monotonic() < deadline:
            idle_looks = idle_looks + 1 if self.is_idle() else 0
            if idle_looks == 5:
                return
            time.sleep(0.1)
        import redis
        from django.conf import settings

        self.stop()
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(
            "celery", "unacked", "unacked_index"
        )
        self.start()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None


# The session's worker once a test has started it (see pytest_runtest_teardown).
_running_worker: list[Worker] = []


@pytest.fixture(scope="session")
def _worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        f"/{settings_dict['NAME']}"
    )
    worker = Worker(database_url, tmp_path_factory.mktemp("worker"))
    worker.start()
    _running_worker.append(worker)
    yield worker
    _running_worker.remove(worker)
    worker.stop()


def _commits(item: pytest.Item) -> bool:
    """Whether the test's transactions commit (and so send tasks to the broker)."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return (
        bool(marker and marker.kwargs.get("transaction"))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Before a committing test's database is flushed, the running worker finishes what the test
    sent it, even when the test did not ask for the worker: a task still reading while the flush
    truncates the tables deadlocks with it."""
    if _running_worker and _commits(item) and _running_worker[0].process is not None:
        _running_worker[0].settle()
    return (yield)


@pytest.fixture
def celery_worker(_worker_process, transactional_db):
    """A worker process shared by the tests that need one; each test leaves it idle."""
    yield _worker_process
    _worker_process.settle()


def wait_for(predicate, timeout: float = 20, interval: float = 0.1):
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API keeps an event loop running in the test thread; Django's database calls
# from that thread are still synchronous, so its async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright. Missing browser: skipped locally, fails in CI."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI never skips browser tests")
        pytest.skip(f"Chromium not found at {CHROMIUM}; run 'make test' to install it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser context (no cookies, no history) on the live test server."""
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()
