"""Encryption at rest and blind indexes (versleuteling van persoonsgegevens).

Sensitive text is encrypted with Fernet (AES-128-CBC with an HMAC-SHA256 tag, a random IV per
value) under `FIELD_ENCRYPTION_KEYS`: the first key encrypts, every key in the list decrypts, so
a new key is put first and the old ones stay until `manage.py rotate_encryption_keys` has
re-encrypted everything.

Ciphertext cannot be compared, so what must be found (an identifier shared by two signals, a
word of a description) is kept beside it as a blind index: an HMAC-SHA256 under
`BLIND_INDEX_KEY`, with a key of its own per purpose, so that equal phone numbers give equal
keys but a phone key never equals an e-mail key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# A search token is a shortened blind index: 64 bits are plenty to tell words apart and keep
# the array column and its GIN index small.
SEARCH_TOKEN_LENGTH = 16
_WORD_SEPARATORS = re.compile(r"[\W_]+")


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)."
        ) from error


def fernet() -> MultiFernet:
    """The configured keys; read each time, so that tests can override the settings."""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode("ascii")).decode()


def rotate(token: str) -> str:
    """The same plaintext, encrypted under the first key (whichever key encrypted it)."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return fernet().decrypt(token)


def rotate_bytes(token: bytes) -> bytes:
    return fernet().rotate(token)


def is_encrypted(value: str | bytes) -> bool:
    """Whether the current keys decrypt `value` (used when converting data stored before)."""
    if not value:
        return False
    try:
        fernet().decrypt(value.encode("ascii") if isinstance(value, str) else value)
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def is_current(token: str | bytes) -> bool:
    """Whether `token` is encrypted under the first key already (rotation skips it)."""
    first = _fernet((settings.FIELD_ENCRYPTION_KEYS[0],))
    try:
        first.decrypt(token.encode("ascii") if isinstance(token, str) else token)
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


@lru_cache(maxsize=64)
def _purpose_key(key: str, purpose: str) -> bytes:
    return hmac.new(key.encode(), f"meldpunt blind index: {purpose}".encode(), "sha256").digest()


def blind_index(purpose: str, normalised_value: str, *, root: str | None = None) -> str:
    """HMAC-SHA256 of an already normalised value, under a key derived for this purpose (hex).

    `root` is the key to derive from, BLIND_INDEX_KEY unless given: only the receipt lookup tries
    earlier keys (BLIND_INDEX_KEY_FALLBACKS), since its values cannot be recomputed."""
    root = settings.BLIND_INDEX_KEY if root is None else root
    if not root:
        raise ImproperlyConfigured("BLIND_INDEX_KEY must be set.")
    key = _purpose_key(root, purpose)
    return hmac.new(key, normalised_value.encode(), hashlib.sha256).hexdigest()


def normalise_text(text: str) -> str:
    """Lower case without accents, so that `Café` and `CAFE` are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str, *, shortest: int = 2) -> list[str]:
    """The words of `text`, normalised, in order; words shorter than `shortest` are left out
    (for the search, one letter says nothing; in a name an initial does)."""
    return [word for word in _WORD_SEPARATORS.split(normalise_text(text)) if len(word) >= shortest]


def search_tokens(text: str) -> list[str]:
    """A short blind index for every distinct word of `text`, for the queue's search."""
    tokens = dict.fromkeys(blind_index("word", word)[:SEARCH_TOKEN_LENGTH] for word in words(text))
    return list(tokens)
