"""Receipt codes (ontvangstcodes): the reporter's only key to follow up on an anonymous signal.

A code is 80 random bits from `secrets`, written in Crockford's base32 (no I, L, O or U) and grouped
in fours for reading aloud: `7KQ4-M2XD-9PRA-T6WB`. It is never stored: the signal keeps an HMAC of
the code under a key derived from SECRET_KEY (an indexed lookup, useless without the key) and a
slow Argon2 hash of the code (so that even a leak of database and key together gives no codes
without a brute force of 80 bits through Argon2).
"""

import secrets

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 4
GROUP_LENGTH = 4
LENGTH = GROUPS * GROUP_LENGTH
BITS = LENGTH * 5
# Letters people confuse with digits are read as those digits (Crockford's decoding rules).
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Always Argon2, also where a faster hasher is configured for user passwords (tests).
_HASHER = Argon2PasswordHasher()


def new_code() -> str:
    """A fresh code, grouped for reading: 16 characters of 5 bits each."""
    characters = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(
        characters[start : start + GROUP_LENGTH] for start in range(0, LENGTH, GROUP_LENGTH)
    )


def normalise(text: str) -> str | None:
    """The code as typed, in canonical grouped form; None when it cannot be a code."""
    compact = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(compact) != LENGTH or any(character not in ALPHABET for character in compact):
        return None
    return "-".join(
        compact[start : start + GROUP_LENGTH] for start in range(0, LENGTH, GROUP_LENGTH)
    )


def lookup_key(code: str) -> str:
    """The indexed value a code is found by: HMAC-SHA256 under a key derived from SECRET_KEY."""
    return salted_hmac("signals.receipts.lookup", code, algorithm="sha256").hexdigest()


def slow_hash(code: str) -> str:
    return _HASHER.encode(code, _HASHER.salt())


def matches(code: str, stored_hash: str) -> bool:
    return stored_hash.startswith(f"{_HASHER.algorithm}$") and _HASHER.verify(code, stored_hash)


def waste_time(code: str) -> None:
    """Spend what a real check costs, so that an unknown code answers as slowly as a known one."""
    _HASHER.encode(code, _HASHER.salt())
