"""pytest plugin: a throwaway PostgreSQL and Redis for the test run, stopped when it ends.

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

from devstack import Postgres, Redis, free_port


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
