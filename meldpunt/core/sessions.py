"""Database sessions whose data is encrypted at rest (`SESSION_ENGINE = "meldpunt.core.sessions"`).

The public form keeps a reporter's unsent answers in the session, and Django stores session data
only signed (base64 JSON): readable in the database and its backups. Here the stored
`session_data` is Django's own signed encoding, encrypted with Fernet under
`FIELD_ENCRYPTION_KEYS` (`meldpunt.core.crypto`), so key rotation covers it like every other field.

The model is Django's `Session`, so `accounts.models.UserSession` and the code that deletes
sessions through it work unchanged. Data that no configured key decrypts (a dropped key, a
session stored before this engine) reads as an empty session, as Django does for a bad signature.

A session is written only when its data changes (SESSION_SAVE_EVERY_REQUEST off: each write
re-encrypts the data and rewrites the row). Its idle expiry is still pushed back on activity, but
at most once every REFRESH_SECONDS, and then only the expiry column
(meldpunt.core.middleware.SessionRefreshMiddleware): an idle timeout of 30 minutes ends between
29 and 30 minutes after the last request, not later.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from cryptography.fernet import InvalidToken
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from . import crypto

logger = logging.getLogger("django.security.SuspiciousSession")

REFRESH_SECONDS = 60


class SessionStore(DatabaseSessionStore):
    """Django's database session store with the stored data encrypted."""

    def encode(self, session_dict: dict[str, Any]) -> str:
        return crypto.encrypt(super().encode(session_dict))

    def decode(self, session_data: str) -> dict[str, Any]:
        try:
            signed = crypto.decrypt(session_data)
        except (InvalidToken, UnicodeError, ValueError, TypeError, AttributeError):
            # No configured key decrypts it: a key was dropped, or the row predates encryption.
            logger.warning("Session data not decryptable")
            return {}
        return super().decode(signed)

    # The expiry the row had when it was read: when it was last pushed back, without storing more.
    _stored_expiry: datetime | None = None

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self._stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def needs_refresh(self) -> bool:
        """Whether the stored expiry is more than REFRESH_SECONDS behind what activity now gives."""
        if self._stored_expiry is None or self.session_key is None:
            return False
        return self._stored_expiry < self.get_expiry_date() - timedelta(seconds=REFRESH_SECONDS)

    def refresh(self) -> None:
        """Push the expiry back without rewriting the (encrypted) data."""
        expiry = self.get_expiry_date()
        self.model.objects.filter(session_key=self.session_key).update(expire_date=expiry)
        self._stored_expiry = expiry
