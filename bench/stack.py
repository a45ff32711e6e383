"""A throwaway PostgreSQL, Redis and Celery worker for benchmarks, set up like the test run."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from devstack import Postgres, Redis, celery_worker_command, free_port

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def bench_stack(*, worker: bool = True, concurrency: int = 1):
    """Start the servers, set up Django against them, migrate, load regions; yield the worker."""
    root = Path(tempfile.mkdtemp(prefix="meldpunt-bench-"))
    postgres = Postgres(root / "postgres" / "data", free_port())
    redis = Redis(root / "redis", free_port(), persist=False)
    process = None
    try:
        postgres.start()
        postgres.create_database("bench")
        redis.start()
        os.environ.update(
            DATABASE_URL=postgres.url("bench"),
            REDIS_URL=redis.url(),
            DJANGO_SETTINGS_MODULE="meldpunt.settings.test",
            ALLOWED_HOSTS="testserver",
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_regions", verbosity=0)
        if worker:
            log = root / "worker.log"
            process = subprocess.Popen(
                celery_worker_command(concurrency=concurrency, loglevel="WARNING", alone=True),
                cwd=ROOT,
                env=os.environ.copy(),
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            time.sleep(3)
        yield postgres
    finally:
        if process is not None:
            process.terminate()
            process.wait(30)
        from django.db import connections

        connections.close_all()
        redis.stop()
        postgres.stop(mode="immediate")
        shutil.rmtree(root, ignore_errors=True)
