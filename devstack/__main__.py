"""`python -m devstack run`: what `make run` does."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from devstack import Postgres, Redis, celery_worker_command, wait_for_port

DEV_PORTS = {"postgres": 54329, "redis": 63799}
WEB_PORT = int(os.environ.get("MELDPUNT_WEB_PORT", "8000"))
LOGINS_FILE = "demo-logins.txt"


def _wait_until_up(env: dict, children: list[subprocess.Popen], timeout: float = 90) -> bool:
    """Wait for the web server to listen and a worker to answer, so that the logins are printed
    after their start-up output instead of being pushed off the screen by it."""
    deadline = time.monotonic() + timeout
    try:
        wait_for_port(WEB_PORT, timeout)
    except TimeoutError:
        return False
    ping = [sys.executable, "-m", "celery", "-A", "meldpunt", "inspect", "ping", "--timeout=1"]
    while time.monotonic() < deadline and all(child.poll() is None for child in children):
        answered = subprocess.run(ping, env=env, capture_output=True)
        if answered.returncode == 0:
            return True
        time.sleep(0.5)
    return False


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
        logins_file = data_dir / LOGINS_FILE
        logins = subprocess.run(
            [*manage, "seed_demo", f"--output={logins_file}"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        subprocess.run([*manage, "seed_demo_signals"], env=env, check=True)
        logins += (
            "\n\n"
            + subprocess.run(
                [*manage, "seed_demo_cases"], env=env, check=True, capture_output=True, text=True
            ).stdout
        )

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
        children.append(subprocess.Popen([*manage, "runserver", f"127.0.0.1:{WEB_PORT}"], env=env))
        up = _wait_until_up(env, children)
        status = "runs" if up else "is starting (the worker did not answer yet)"
        print(
            f"\n{logins}\n\nThe logins are also in {logins_file}"
            f"\nMeldpunt {status} on http://127.0.0.1:{WEB_PORT}/  (Ctrl-C stops it)\n",
            flush=True,
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
