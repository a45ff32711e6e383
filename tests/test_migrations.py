"""The migrations build the whole schema on an empty database, and the models match them.

The rest of the suite starts from a test database that pytest-django migrates once, so a
migration that only works on top of an older schema, or a data migration that imports a module
which has since moved, would not fail there. This test migrates a new, empty database from zero in
a process of its own, as a fresh installation does.
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from tests.conftest import ROOT


def _server(settings: dict) -> psycopg.Connection:
    """A connection to the test run's PostgreSQL server itself, outside any database's
    transaction (CREATE and DROP DATABASE refuse to run inside one)."""
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def empty_database(services) -> Iterator[str]:
    """The URL of a new database without a single table, dropped after the test. On the run's
    own server only (`services`): servers of one's own may not let us create databases."""
    settings = connection.settings_dict
    name = f"meldpunt_from_zero_{uuid.uuid4().hex[:8]}"
    with _server(settings) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"
    with _server(settings) as server:
        server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def _manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "meldpunt.settings.test",
        },
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_an_empty_database_migrates_from_zero_to_the_models(empty_database):
    migrated = _manage(empty_database, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    unchanged = _manage(empty_database, "makemigrations", "--check", "--dry-run")
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    assert "No changes detected" in unchanged.stdout
