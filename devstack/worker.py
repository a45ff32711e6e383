"""A real Celery worker process for tests, against the test database and the run's Redis.

Importing this module sets up no Django: the Django parts (settings, the test's database
connection) are read only while a worker runs, from inside a test. The pytest fixtures that share
one worker between tests are in `devstack.pytest_plugin`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from devstack import celery_worker_command

ROOT = Path(__file__).resolve().parent.parent


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
        from django.db import connection

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


def wait_for(predicate, timeout: float = 20, interval: float = 0.1):
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
