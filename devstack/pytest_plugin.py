"""pytest plugin: a throwaway PostgreSQL and Redis for the test run, stopped when it ends, and a
real Celery worker on them for the tests that ask for one (`celery_worker`).

Loaded with `-p devstack.pytest_plugin` (see pyproject.toml). It starts the servers when pytest
imports it, before pytest-django reads the settings, so DATABASE_URL and REDIS_URL point at them.
Set both variables yourself to run the suite against servers of your own instead.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from devstack import Postgres, Redis, free_port
from devstack.worker import Worker


class Services:
    """The servers of this run. `external` when the caller gave DATABASE_URL and REDIS_URL."""

    def __init__(self) -> None:
        self.external = bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))
        self.root: Path | None = None
        self.postgres: Postgres | None = None
        self.redis: Redis | None = None
        if self.external:
            return
        self.root = Path(tempfile.mkdtemp(prefix="meldpunt-test-"))
        self.postgres = Postgres(self.root / "postgres" / "data", free_port())
        self.redis = Redis(self.root / "redis", free_port(), persist=False)
        atexit.register(self.stop)
        self.postgres.start()
        self.redis.start()
        os.environ["DATABASE_URL"] = self.postgres.url("meldpunt")
        os.environ["REDIS_URL"] = self.redis.url()

    def stop(self) -> None:
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.stop(mode="immediate")
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)
        self.root = self.postgres = self.redis = None


services = Services()


def pytest_unconfigure(config) -> None:
    services.stop()


# The session's worker once a test has started it (see pytest_runtest_teardown).
_running_worker: list[Worker] = []


@pytest.fixture(scope="session")
def _worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

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
