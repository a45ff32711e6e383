"""Settings shared by every environment, with safe production defaults."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set outside development.")
# Earlier secret keys still accepted for signed values (Django), and for receipt codes stored
# before their lookup had a key of its own (signals.receipts): rewritten when next used.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

# Encryption at rest (meldpunt.core.crypto): Fernet keys, comma-separated; the first encrypts, all
# decrypt (rotation: put a new key first, run `manage.py rotate_encryption_keys`, then drop the
# old one). BLIND_INDEX_KEY keys the HMACs that make identifiers and words findable. Both are
# required outside development: without them personal data would be stored readable.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY", "")
if not FIELD_ENCRYPTION_KEYS or not BLIND_INDEX_KEY:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY must be set outside development."
    )
if len(BLIND_INDEX_KEY) < 32:
    raise ImproperlyConfigured("BLIND_INDEX_KEY must be at least 32 characters long.")
# Earlier blind-index keys, for the receipt lookup only: every other blind index is recomputed by
# `rotate_encryption_keys --reindex`, but nobody knows the receipt codes to recompute theirs.
BLIND_INDEX_KEY_FALLBACKS = env_list("BLIND_INDEX_KEY_FALLBACKS")

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "guardian",
    "csp",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "accounts",
    "organisations",
    "regions",
    "signals",
    "intake",
    "triage",
    "inbox",
    "access",
    "coordination",
    "privacy",
    "monitor",
    "opvang",
    "content",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "api",
]

MIDDLEWARE = [
    # First: REMOTE_ADDR becomes the client's address behind TRUSTED_PROXY_COUNT proxies.
    "meldpunt.core.middleware.ClientAddressMiddleware",
    # Answers a page asks for more than once are kept for the request (meldpunt.core.memo).
    "meldpunt.core.memo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy on every response, static files included (see PERMISSIONS_POLICY).
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "meldpunt.core.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user as verified once the second factor was given (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "meldpunt.core.middleware.NoStoreForProfessionalsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # axes answers locked-out logins; its docs want it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "meldpunt.urls"
# Plain widgets written in Python, not through a template each (meldpunt/core/forms.py).
FORM_RENDERER = "meldpunt.core.forms.QuickRenderer"
WSGI_APPLICATION = "meldpunt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgres://meldpunt@127.0.0.1:5432/meldpunt"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Meldpunt runs on PostgreSQL only (full-text search, row locks).")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first, so a locked-out login is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Permissions on a signal: the same answer as access.selectors.can, shares included.
    "access.backends.SignalPermissionBackend",
]
# guardian only lends access its abstract permission model; its own backend would read tables
# that access does not fill, so it is left out on purpose.
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.PatternPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Redis carries the Celery broker and the cache (rate-limit counters, sessions stay in PostgreSQL).
# In production the cache is a Redis of its own without persistence (CACHE_URL; see
# docker-compose.yml): the rate limits' daily salt and counters must never reach a disk.
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", REDIS_URL),
        # Half a second: a frozen Redis must not hold up a public request (the rate limits give
        # way when Redis does not answer, see intake.public.ratelimit).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}

# Languages: the one list of the portal's languages. Names are given in the language itself in the
# switcher (see templates); the order here is the order shown.
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
    ("hu", _("Hungarian")),
    ("lt", _("Lithuanian")),
    ("sk", _("Slovak")),
    ("cs", _("Czech")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("tr", _("Turkish")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("fr", _("French")),
    ("zh-hans", _("Simplified Chinese")),
    ("vi", _("Vietnamese")),
    ("th", _("Thai")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl",)
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Amsterdam"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / ".data" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("MEDIA_ROOT", str(BASE_DIR / ".data" / "media"))},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Size limits apply to every request; forms set tighter limits per field.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

# Security headers. TLS is terminated before the app; the proxy sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies in front of the web app that append to X-Forwarded-For. The client address (for
# rate limits and lock-out only, never stored with a signal) is the one the outermost trusted proxy
# saw (meldpunt.core.middleware.ClientAddressMiddleware); 0: no proxy, REMOTE_ADDR as it is.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts and
# Django's CSRF check refuses every form. Other sites still receive no referrer.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Database sessions with session_data encrypted: the public form keeps unsent answers there.
SESSION_ENGINE = "meldpunt.core.sessions"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 30 * 60
# Saved when changed; activity pushes the idle expiry back at most once a minute
# (meldpunt.core.sessions, SessionRefreshMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SECURE = True
CSRF_FAILURE_VIEW = "meldpunt.core.errors.csrf_failure"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The portal needs no powerful browser feature: all are off, for the portal and anything it could
# embed. Browsing-topics and interest-cohort opt out of the browser's ad profiling.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "shared-storage",
        "storage-access",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    ]
}

# Public pages load nothing from elsewhere: everything comes from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Where the quick exit sends a reporter: a neutral, everyday site.
QUICK_EXIT_URL = env("QUICK_EXIT_URL", "https://www.weeronline.nl/")

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "meldpunt@localhost")

# Celery: a task is acknowledged only after it ran, and given back to the queue when its worker
# dies, so a crash never loses work. The broker's visibility timeout must exceed the longest task,
# or Redis hands a running task to a second worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# Publishing happens inside web requests (after the commit of a received signal): a Redis that is
# down, or frozen and not answering, may hold a request for about a second at most. The socket
# timeouts bound every command (kombu's redis transport waits forever by default), the connection
# timeout bounds connecting, and a failed publish is not retried in the request: the data is
# committed, and the sweepers (triage.tasks.requeue_unfinished_work) send the task later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "socket_connect_timeout": 1.0,
    "socket_timeout": 1.0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "requeue-unfinished-triage": {
        "task": "triage.tasks.requeue_unfinished_work",
        "schedule": timedelta(minutes=1),
    },
    "mark-overdue-signals": {
        "task": "triage.tasks.mark_overdue_signals",
        "schedule": timedelta(minutes=5),
    },
}
# Signals left untriaged this long are queued again by the sweeper.
SIGNAL_REQUEUE_AFTER = timedelta(minutes=int(env("SIGNAL_REQUEUE_AFTER_MINUTES", "3")))
# Public pages (intake.public.ratelimit), per client address: reports sent per hour, receipt
# codes tried per 15 minutes, photo-step requests with files per hour and megapixels of images
# decoded per hour. A load test from one address raises them.
PUBLIC_RATE_LIMITS = {
    "report": int(env("PUBLIC_RATE_REPORTS", "5")),
    "code": int(env("PUBLIC_RATE_CODE_ATTEMPTS", "10")),
    "upload": int(env("PUBLIC_RATE_UPLOADS", "30")),
    "megapixels": int(env("PUBLIC_RATE_DECODED_MEGAPIXELS", "400")),
}

# The API (api app): API keys or a fully signed-in session; rates per key, person and anonymous
# client, counted in Redis; one error shape (api.exceptions).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "api.permissions.IsFullySignedInOrApiKey",
        "api.permissions.ApiKeyScopeAllows",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientThrottle"],
    # get_ident uses REMOTE_ADDR (set by ClientAddressMiddleware), never the client-controlled
    # X-Forwarded-For header.
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {
        "api_key": env("API_RATE_PER_KEY", "5000/hour"),
        "user": env("API_RATE_PER_USER", "2000/hour"),
        "anonymous": env("API_RATE_ANONYMOUS", "600/hour"),
        "public_report": env("API_RATE_PUBLIC_REPORT", "5/hour"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Meldpunt mensenhandel API",
    "DESCRIPTION": "Signals, coordination, opvang and reference data for partner systems.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI from the portal's own static files: the CSP allows nothing from elsewhere.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SignalStatusEnum": "signals.models.Signal.Status",
        "PlacementRequestStatusEnum": "opvang.models.PlacementRequest.Status",
        "SignalLocationKindEnum": "signals.models.Signal.LocationKind",
        "PlaceKindEnum": "signals.models.Location.Kind",
        "VictimWishEnum": "signals.models.Signal.Wish",
        "LanguageEnum": LANGUAGES,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Triage (see triage/rules.py). Deadlines by which a coordinator must look at a signal.
TRIAGE_DEADLINES = {
    "urgent_hours": int(env("TRIAGE_URGENT_HOURS", "4")),
    "high_working_days": int(env("TRIAGE_HIGH_WORKING_DAYS", "1")),
    "normal_working_days": int(env("TRIAGE_NORMAL_WORKING_DAYS", "3")),
}
# Indicators whose weights add up to this raise a signal to high priority.
TRIAGE_HIGH_PRIORITY_WEIGHT = int(env("TRIAGE_HIGH_PRIORITY_WEIGHT", "5"))
# Retries (with exponential backoff) before a triage lands in the dead-letter list.
TRIAGE_MAX_RETRIES = int(env("TRIAGE_MAX_RETRIES", "6"))
# Base address for links in mails.
PORTAL_URL = env("PORTAL_URL", "http://127.0.0.1:8000")
# Where signals go from an area that has no coordinator organisation with an active coordinator
# (triage.rules.coordinators_for): "comensha" (the organisation marked as coordinating such
# areas, as CoMensha does) or "national_desk". Either way the other one is tried next.
ROUTING_FALLBACK = env("ROUTING_FALLBACK", "comensha")
if ROUTING_FALLBACK not in {"comensha", "national_desk"}:
    raise ImproperlyConfigured("ROUTING_FALLBACK must be 'comensha' or 'national_desk'.")
# Demo accounts (organisations.demo, `manage.py seed_demo`) and their way past the second factor
# without an authenticator app (`manage.py demo_code`): development only. Production refuses it.
DEMO_ACCOUNTS = False

# Professional sign-in (accounts): e-mail + password, then a mandatory second factor (django-otp).
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
OTP_TOTP_ISSUER = "Meldpunt mensenhandel"
# django-axes: lock a staff e-mail + address pair after 5 failures. Only professional and admin
# logins pass through axes; public reporters never authenticate, so nothing of theirs is stored.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.axes.login_username"
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Only failures are recorded: a record of every successful sign-in (address and user agent, for
# ever) is not needed for the lock-out and would be a log of people's whereabouts.
AXES_DISABLE_ACCESS_LOG = True
# Records of failed sign-ins (e-mail, address, user agent) are deleted after this many days
# (accounts.services.purge_login_records, daily).
LOGIN_RECORDS_KEPT_DAYS = int(env("LOGIN_RECORDS_KEPT_DAYS", "30"))
# The address is REMOTE_ADDR only, as ClientAddressMiddleware set it; never a forwarded header.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Invitation links stay valid this long.
INVITATION_VALID_FOR = timedelta(days=7)

# Opvang (shelter and care): offers whose free places were not confirmed for this long are shown as
# stale; placement requests unanswered after the reminder hours remind the provider and show in the
# coordinator's list, and expire after the expiry hours.
OPVANG_STALE_AFTER = timedelta(hours=24)
OPVANG_PLACEMENT_REMINDER_HOURS = int(env("OPVANG_PLACEMENT_REMINDER_HOURS", "4"))
OPVANG_PLACEMENT_EXPIRY_HOURS = int(env("OPVANG_PLACEMENT_EXPIRY_HOURS", "72"))
CELERY_BEAT_SCHEDULE["remind-unanswered-placements"] = {
    "task": "opvang.tasks.remind_unanswered_placements",
    "schedule": timedelta(minutes=15),
}

# Coordination: after a transfer the sending organisation keeps read access this many days
# (0: none at once).
TRANSFER_SENDER_READ_DAYS = int(env("TRANSFER_SENDER_READ_DAYS", "0"))
# A share with another organisation ends at the latest this many days after it is made.
SHARE_MAX_DAYS = int(env("SHARE_MAX_DAYS", "365"))
# Bedenktijd lasts three months (signals.models.procedures); this many days before its end the
# case page and the queue warn, and the people handling the case get one mail (beat, hourly).
REFLECTION_PERIOD_WARN_DAYS = 14
CELERY_BEAT_SCHEDULE["remind-reflection-periods"] = {
    "task": "coordination.tasks.remind_reflection_periods",
    "schedule": timedelta(hours=1),
}

# Optional virus scan of every upload by ClamAV (intake.antivirus): a unix socket, or a host and
# port. Unset: no scan. Set but unreachable: uploads are refused with "try again later".
CLAMD_SOCKET = env("CLAMD_SOCKET", "")
CLAMD_HOST = env("CLAMD_HOST", "")
CLAMD_PORT = int(env("CLAMD_PORT", "3310"))
CLAMD_TIMEOUT = float(env("CLAMD_TIMEOUT", "30"))

# Public intake: files of report forms that were never sent are removed (intake.uploads).
CELERY_BEAT_SCHEDULE["purge-abandoned-uploads"] = {
    "task": "intake.tasks.purge_abandoned_uploads",
    "schedule": timedelta(hours=1),
}
# The inbox: a case with news is marked unread for the people responsible; one digest mail per
# person goes out once their oldest unmailed mark has waited this long (batched, so that a busy
# conversation sends one mail, not one per message).
INBOX_MAIL_AFTER = timedelta(minutes=int(env("INBOX_MAIL_AFTER_MINUTES", "5")))
CELERY_BEAT_SCHEDULE["send-inbox-digests"] = {
    "task": "inbox.tasks.send_inbox_digests",
    "schedule": timedelta(minutes=1),
}
# Connections (verbanden): signals whose linking was lost on the way are linked after all.
CELERY_BEAT_SCHEDULE["link-unlinked-signals"] = {
    "task": "coordination.tasks.link_unlinked_signals",
    "schedule": timedelta(minutes=5),
}

# Retention (bewaartermijnen, AVG): days without change after which a signal in this status loses
# its personal data (privacy.services.apply_retention, daily). A signal that led to nothing goes
# after a year, a closed case after five, a draft never sent after a month.
RETENTION_DAYS = {
    "no_trafficking": int(env("RETENTION_DAYS_NO_TRAFFICKING", "365")),
    "unreachable": int(env("RETENTION_DAYS_UNREACHABLE", "365")),
    "closed": int(env("RETENTION_DAYS_CLOSED", str(5 * 365))),
    "draft": int(env("RETENTION_DAYS_DRAFT", "30")),
}
CELERY_BEAT_SCHEDULE["apply-retention"] = {
    "task": "privacy.tasks.apply_retention",
    "schedule": timedelta(days=1),
}
CELERY_BEAT_SCHEDULE["purge-login-records"] = {
    "task": "accounts.tasks.purge_login_records",
    "schedule": timedelta(days=1),
}
# Each area's coordinators hear once a week what loses its personal data in the week ahead
# (privacy.services.send_retention_digests; a repeated run mails nobody twice).
# Floods of public reports (triage.services.check_for_flood): the national desk is alerted when
# the reports of the last hour exceed FLOOD_MULTIPLE times the usual hourly rate of the
# FLOOD_BASELINE_DAYS before, and at least FLOOD_MIN_REPORTS. While the desk's switch is on,
# notifications of new public signals go out bundled, every FLOOD_DIGEST_MINUTES.
FLOOD_MULTIPLE = float(env("FLOOD_MULTIPLE", "5"))
FLOOD_MIN_REPORTS = int(env("FLOOD_MIN_REPORTS", "30"))
FLOOD_BASELINE_DAYS = int(env("FLOOD_BASELINE_DAYS", "14"))
CELERY_BEAT_SCHEDULE["check-for-flood"] = {
    "task": "triage.tasks.check_for_flood",
    "schedule": timedelta(minutes=5),
}
CELERY_BEAT_SCHEDULE["send-flood-digests"] = {
    "task": "triage.tasks.send_flood_digests",
    "schedule": timedelta(minutes=int(env("FLOOD_DIGEST_MINUTES", "30"))),
}
CELERY_BEAT_SCHEDULE["warn-of-retention"] = {
    "task": "privacy.tasks.send_retention_digests",
    "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
}
# Expired sessions (abandoned public-form drafts among them) are deleted, not kept for ever.
CELERY_BEAT_SCHEDULE["clear-expired-sessions"] = {
    "task": "accounts.tasks.clear_expired_sessions",
    "schedule": timedelta(hours=1),
}

# Machine translation (meldpunt.core.machine_translation, coordination.translation): a
# self-hosted engine that speaks LibreTranslate's API, e.g. the `libretranslate` service in
# docker-compose.yml. Off while MACHINE_TRANSLATION_URL is unset. Never point it at a cloud
# service: what it translates are the words of (possible) victims. Translations are made by a
# Celery task after the commit and stored encrypted; a failed one is tried again by beat, at most
# MACHINE_TRANSLATION_ATTEMPTS times, and until then the pages show only the original.
MACHINE_TRANSLATION_URL = env("MACHINE_TRANSLATION_URL", "")
if MACHINE_TRANSLATION_URL and not MACHINE_TRANSLATION_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("MACHINE_TRANSLATION_URL must be an http:// or https:// address.")
MACHINE_TRANSLATION_API_KEY = env("MACHINE_TRANSLATION_API_KEY", "")
MACHINE_TRANSLATION_TIMEOUT = float(env("MACHINE_TRANSLATION_TIMEOUT", "30"))
MACHINE_TRANSLATION_ATTEMPTS = int(env("MACHINE_TRANSLATION_ATTEMPTS", "5"))
CELERY_BEAT_SCHEDULE["retry-machine-translations"] = {
    "task": "coordination.tasks.retry_machine_translations",
    "schedule": timedelta(minutes=5),
}
# A reporter who asked for it gets a content-free e-mail ("there is news, use your code") once
# a coordinator's news has waited this long unread, so that several messages send one notice.
NEWS_NOTICE_AFTER = timedelta(minutes=int(env("NEWS_NOTICE_AFTER_MINUTES", "10")))
CELERY_BEAT_SCHEDULE["send-news-notices"] = {
    "task": "intake.tasks.send_news_notices",
    "schedule": timedelta(minutes=1),
}
