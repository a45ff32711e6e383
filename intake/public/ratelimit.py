"""Rate limits per client for the public pages, held only in Redis (Django's cache) with expiry.

A client is known by a hash of its address with a salt that changes every day, so the counters
cannot be linked to an address after the day and nothing of it reaches the database.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


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


def _client(request) -> str:
    day = timezone.now().date().isoformat()
    salt = salted_hmac("signals.ratelimit.salt", day, algorithm="sha256").hexdigest()
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{salt}:{address}".encode()).hexdigest()


def _key(limit: Limit, request) -> str:
    return f"ratelimit:{limit.scope}:{_client(request)}"


def is_limited(limit: Limit, request) -> bool:
    """True when the client used up `limit`. When Redis is down nobody is limited: a report must
    never be refused because the cache is away."""
    try:
        return (cache.get(_key(limit, request)) or 0) >= limit.count
    except RedisError:
        logger.warning("rate-limit cache unavailable; %s not limited", limit.scope)
        return False


def count(limit: Limit, request) -> None:
    """Count one use; the counter expires `limit.seconds` after the first use."""
    key = _key(limit, request)
    try:
        cache.add(key, 0, timeout=limit.seconds)
        cache.incr(key)
    except ValueError:
        # The counter expired between add and incr: start again.
        cache.set(key, 1, timeout=limit.seconds)
    except RedisError:
        logger.warning("rate-limit cache unavailable; %s not counted", limit.scope)
