"""Receipt codes (ontvangstcodes): the reporter's only key to follow up on an anonymous signal.

A code is 80 random bits from `secrets`, written in Crockford's base32 (no I, L, O or U) and grouped
in fours for reading aloud: `7KQ4-M2XD-9PRA-T6WB`. It is never stored: the signal keeps only an
HMAC-SHA256 of the code (`receipt_lookup`) under a key of its own, derived from BLIND_INDEX_KEY for
this one purpose like every blind index. That HMAC is both how a code is found (an indexed
equality lookup) and the proof that it is right (compared again in constant time).

What this protects against, and what not:
- A leak of the database without the key reveals nothing usable: an HMAC under an unknown
  256-bit key says nothing of the code, and cannot be checked against guesses.
- With database and key together, the HMAC is a fast oracle: each guess costs one HMAC. It
  still takes 2^79 guesses on average to find one code, out of reach at any hash speed, so a
  slow hash adds nothing here. (Earlier signals also kept an Argon2 hash of the code; it made
  every check cost 110 ms and both cores, which let anyone typing wrong codes load the portal.)
- Guessing online is bounded by the per-client rate limit (intake.public.ratelimit) and by the
  80 bits: at that limit, finding any one of a million codes takes longer than the universe's age.
- A second keyed HMAC as a verifier would add nothing: whoever holds the key computes both,
  whoever does not can compute neither.

No timing difference to hide: a wrong code costs one indexed query that finds nothing, a right
one the same query and a compare; the only thing the time could tell, "the lookup matched",
happens only for the right code, which the answer says anyway. So an unknown code is no longer
made to spend a slow hash on purpose.

Signals stored before keep an Argon2 hash in `receipt_hash`: when their code is next used it is
checked against that hash once (only a right code gets that far, so a wrong one never costs an
Argon2 hash) and the hash is then cleared (signals.selectors.signal_for_receipt). An empty
`receipt_hash` is the current form.

The lookup cannot be recomputed (nobody knows the codes), so a code is also looked for under the
keys it may have been stored under before: an earlier BLIND_INDEX_KEY kept in
BLIND_INDEX_KEY_FALLBACKS, and Django's SECRET_KEY (and SECRET_KEY_FALLBACKS), under which codes
were stored before they had a key of their own. Found so, the lookup is rewritten under the
current key (signals.selectors.signal_for_receipt), so Django's SECRET_KEY can rotate freely.
"""

import hmac
import secrets

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.utils.crypto import salted_hmac

from meldpunt.core import crypto

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 4
GROUP_LENGTH = 4
LENGTH = GROUPS * GROUP_LENGTH
BITS = LENGTH * 5
# Letters people confuse with digits are read as those digits (Crockford's decoding rules).
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Only to check the Argon2 hashes of signals stored before the lookup alone sufficed.
_LEGACY_HASHER = Argon2PasswordHasher()
LOOKUP_PURPOSE = "receipt lookup"
# The salt of the lookups stored under SECRET_KEY before the lookup had a key of its own.
_SECRET_KEY_SALT = "signals.receipts.lookup"  # noqa: S105 - a namespace, not a secret


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


def confirms(code: str, typed: str) -> bool:
    """Whether `typed` is the code's last group of four, read as a code is read (small letters,
    spaces, O for 0): the reporter shows they saved the code before they finish."""
    last = "".join(typed.split()).upper().translate(_READ_AS)
    return len(last) == GROUP_LENGTH and secrets.compare_digest(last, code[-GROUP_LENGTH:])


def lookup_key(code: str) -> str:
    """The indexed value a code is found by: HMAC-SHA256 under the receipt lookup's own key."""
    return crypto.blind_index(LOOKUP_PURPOSE, code)


def lookup_keys(code: str) -> list[str]:
    """Every value the code's lookup may be stored under, the current one first: under earlier
    blind-index keys, then under Django's secret keys (lookups stored before this key existed)."""
    keys = [lookup_key(code)]
    keys += [
        crypto.blind_index(LOOKUP_PURPOSE, code, root=earlier)
        for earlier in settings.BLIND_INDEX_KEY_FALLBACKS
    ]
    keys += [
        salted_hmac(_SECRET_KEY_SALT, code, secret=secret, algorithm="sha256").hexdigest()
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    ]
    return list(dict.fromkeys(keys))


def is_one_of(stored_lookup: str, keys: list[str]) -> bool:
    """Whether `stored_lookup` is one of the code's lookups (`lookup_keys`), compared in constant
    time: every key is compared, none skipped."""
    found = False
    for key in keys:
        found |= hmac.compare_digest(key, stored_lookup)
    return found


def legacy_matches(code: str, stored_hash: str) -> bool:
    """Whether an Argon2 hash stored with an earlier signal is the code's."""
    return stored_hash.startswith(f"{_LEGACY_HASHER.algorithm}$") and _LEGACY_HASHER.verify(
        code, stored_hash
    )
