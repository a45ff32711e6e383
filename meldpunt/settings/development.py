"""Development settings, chosen explicitly by `make run`: a local machine over plain HTTP."""

import base64
import hashlib
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "development-only-not-secret-" + "x" * 32)
# Fixed keys derived from a public phrase: development data is not secret, and `make run` and
# `make test` need nothing set.
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS",
    base64.urlsafe_b64encode(hashlib.sha256(b"meldpunt development field key").digest()).decode(),
)
os.environ.setdefault("BLIND_INDEX_KEY", "development-only-blind-index-key-" + "x" * 32)

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = True
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Serve static files straight from the source folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# `make run` seeds demo accounts and lets a newcomer past the second factor without an app.
DEMO_ACCOUNTS = env_bool("DEMO_ACCOUNTS", True)
