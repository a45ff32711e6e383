"""Database sessions whose data is encrypted at rest (`SESSION_ENGINE = "meldpunt.core.sessions"`).

The public form keeps a reporter's unsent answers in the session, and Django stores session data
only signed (base64 JSON): readable in the database and its backups. Here the stored
`session_data` is Django's own signed encoding, encrypted with Fernet under
`FIELD_ENCRYPTION_KEYS` (`meldpunt.core.crypto`), so key rotation covers it like every other field.

The model is Django's `Session`, so `accounts.models.UserSession` and the code that deletes
sessions through it work unchanged. Data that no configured key decrypts (a dropped key, a
session stored before this engine) reads as an empty session, as Django does for a bad signature.
"""

from __future__ import annotations

import logging
from typing import Any

from cryptography.fernet import InvalidToken
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from . import crypto

logger = logging.getLogger("django.security.SuspiciousSession")


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
