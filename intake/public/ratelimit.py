"""Rate limits per client for the public pages, held only in Redis with expiry.

A client is known by an HMAC of its address (an IPv6 client by its /64, see `client_of`) under a
salt of the day: 32 random bytes drawn by whichever request comes first (SET NX), kept only in
Redis and expiring at midnight. Nothing
outside Redis can recompute a counter's name from an address (the salt does not come from
SECRET_KEY or any other setting), and once the day's salt has expired nobody can, so the
counters cannot be linked to an address after the day; nothing of it reaches the database. The
Redis of the cache is one that writes nothing to disk (docker-compose.yml: `cache`), so neither
salt nor counters reach a disk either.

Counting and checking are one atomic step in Redis (a Lua script: INCRBY, and EXPIRE on the
first use), so that a burst of simultaneous requests cannot all read "not yet limited" before
any of them counts: of twelve Sends at once, exactly as many as the limit allows get through.
"""

import hashlib
import hmac
import ipaddress
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import redis
from django.conf import settings
from django.core.cache import cache as django_cache
from django.utils import timezone

logger = logging.getLogger(__name__)

# KEYS[1]: the counter; ARGV[1]: what this use costs; ARGV[2]: the window in seconds.
# Returns the count after this use and the seconds until the window ends.
_TAKE = """
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
if used == tonumber(ARGV[1]) then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {used, ttl}
"""
# KEYS[1]: the day's salt; ARGV[1]: a fresh random salt; ARGV[2]: midnight (Unix time). The first
# caller of the day sets it; every caller gets the one that is set.
_SALT = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('EXPIREAT', KEYS[1], ARGV[2])
end
return redis.call('GET', KEYS[1])
"""
# Only an existing counter is lowered: a window that ended stays ended.
_GIVE_BACK = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('DECRBY', KEYS[1], ARGV[1])
end
return 0
"""


@dataclass(frozen=True)
class Limit:
    scope: str
    seconds: int

    @property
    def count(self) -> int:
        """Uses allowed per `seconds`, from settings.PUBLIC_RATE_LIMITS (read on each use, so
        a deployment or a load test can raise it)."""
        return settings.PUBLIC_RATE_LIMITS[self.scope]


REPORTS = Limit("report", 3600)
CODE_ATTEMPTS = Limit("code", 15 * 60)
# Requests of the photo step that carry files.
UPLOADS = Limit("upload", 3600)
# Megapixels of images decoded for a client (decoding is what costs time and memory).
DECODED_MEGAPIXELS = Limit("megapixels", 3600)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    # Seconds until the client may try again (for the Retry-After header).
    retry_after: int = 0


@cache
def _redis() -> redis.Redis:
    # The cache's Redis and timeouts (CACHES["default"]): half a second, so that a frozen Redis
    # does not hold up a public request.
    options = settings.CACHES["default"].get("OPTIONS", {})
    return redis.Redis.from_url(
        settings.CACHES["default"]["LOCATION"],
        socket_timeout=options.get("socket_timeout", 0.5),
        socket_connect_timeout=options.get("socket_connect_timeout", 0.5),
        retry_on_timeout=False,
    )


def _salt() -> bytes:
    """The day's random salt, from Redis (drawn there by the first request of the day)."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    key = django_cache.make_key(f"ratelimit-salt:{now.date().isoformat()}")
    return _redis().eval(_SALT, 1, key, secrets.token_hex(32), int(midnight.timestamp()))


def client_of(address: str) -> str:
    """Who counts as one client: an IPv4 address, or an IPv6 client's /64. One subscriber is
    usually given a whole /64 and may pick any address in it, so counting each IPv6 address
    apart would give one attacker endless fresh limits. An IPv4 address mapped into IPv6 counts
    as that IPv4 address; anything unparsable counts as itself."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def _key(limit: Limit, request, salt: bytes) -> str:
    client_address = client_of(request.META.get("REMOTE_ADDR", ""))
    client = hmac.new(salt, client_address.encode(), hashlib.sha256).hexdigest()
    # Through the cache's key function, so the counters share its prefix and version.
    return django_cache.make_key(f"ratelimit:{limit.scope}:{client}")


def take(limit: Limit, request, *, cost: int = 1) -> Verdict:
    """Count `cost` uses for the client and say whether they fit in `limit`.

    A use that does not fit is counted too (a client that keeps trying stays limited). When
    Redis is down or does not answer nobody is limited: a report must never be refused because
    the cache is away.
    """
    try:
        key = _key(limit, request, _salt())
        used, ttl = _redis().eval(_TAKE, 1, key, cost, limit.seconds)
    except redis.RedisError:
        logger.warning("rate-limit cache unavailable; %s not limited", limit.scope)
        return Verdict(allowed=True)
    if used > limit.count:
        return Verdict(allowed=False, retry_after=max(int(ttl), 1))
    return Verdict(allowed=True)


def give_back(limit: Limit, request, *, cost: int = 1) -> None:
    """Undo a use that turned out not to count (a report that had been stored before)."""
    try:
        _redis().eval(_GIVE_BACK, 1, _key(limit, request, _salt()), cost)
    except redis.RedisError:
        logger.warning("rate-limit cache unavailable; %s not given back", limit.scope)
