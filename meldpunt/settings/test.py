"""Test settings: development settings against the throwaway PostgreSQL and Redis of the run."""

from .development import *  # noqa: F403
from .development import BASE_DIR, env

DEBUG = False
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / ".data" / "test-mail"))
# Django's PostgreSQL backend, with a flush between transactional tests that may empty the
# append-only access log (see devstack/postgresql/base.py).
DATABASES["default"]["ENGINE"] = "devstack.postgresql"  # noqa: F405
# Tests create many users: a fast hasher keeps them quick. Receipt codes keep their slow hash.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["default"]["OPTIONS"]["location"] = env(  # noqa: F405
    "MEDIA_ROOT", str(BASE_DIR / ".data" / "test-media")
)
