"""`python -m devstack run`: what `make run` does."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from devstack import Postgres, Redis, celery_worker_command

DEV_PORTS = {"postgres": 54329, "redis": 63799}


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def run(data_dir: Path) -> int:
    """`make run`: the portal with its worker and beat, on embedded servers unless URLs are given.

    Ctrl-C stops all of it; the data stays in `data_dir` for the next run.
    """
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "meldpunt.settings.development"}
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    postgres = redis = None
    children: list[subprocess.Popen] = []
    try:
        if not env.get("DATABASE_URL"):
            port = int(env.get("MELDPUNT_PG_PORT", DEV_PORTS["postgres"]))
            postgres = Postgres(data_dir / "postgres" / "data", port)
            postgres.start()
            postgres.create_database("meldpunt")
            env["DATABASE_URL"] = postgres.url("meldpunt")
        if not env.get("REDIS_URL"):
            redis = Redis(
                data_dir / "redis", int(env.get("MELDPUNT_REDIS_PORT", DEV_PORTS["redis"]))
            )
            redis.start()
            env["REDIS_URL"] = redis.url()

        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True)
        subprocess.run([*manage, "load_regions"], env=env, check=True)
        subprocess.run([*manage, "load_content"], env=env, check=True)
        logins = subprocess.run(
            [*manage, "seed_demo"], env=env, check=True, capture_output=True, text=True
        ).stdout

        children.append(subprocess.Popen(celery_worker_command(), env=env))
        children.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "meldpunt",
                    "beat",
                    "--loglevel=INFO",
                    f"--schedule={data_dir / 'celerybeat-schedule'}",
                ],
                env=env,
            )
        )
        children.append(subprocess.Popen([*manage, "runserver", "127.0.0.1:8000"], env=env))
        print(
            f"\nMeldpunt runs on http://127.0.0.1:8000/  (Ctrl-C stops it)\n\n{logins}", flush=True
        )
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        # A second Ctrl-C or SIGTERM (make and the terminal both pass one on) must not cut the
        # shutdown short and leave servers running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()
        if redis:
            redis.stop()
        if postgres:
            postgres.stop()


def main() -> None:
    data = Path(os.environ.get("MELDPUNT_DATA_DIR", ".data")).resolve()
    if sys.argv[1:] != ["run"]:
        sys.exit("usage: python -m devstack run")
    sys.exit(run(data))


if __name__ == "__main__":
    main()
