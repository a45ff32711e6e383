"""Rate limits per API key, per signed-in person and per anonymous client, counted in Redis.

Anonymous clients are counted under a hash of their address with a salt that changes every
day, so no address is kept, not even in the cache. When Redis is away nobody is limited: a
report must never be refused because the cache is down.
"""

import hashlib
import logging

from django.utils import timezone
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiKey

logger = logging.getLogger(__name__)


class _RedisThrottle(SimpleRateThrottle):
    def get_rate(self):
        # Read at call time, so a changed setting applies without a restart of the class.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except RedisError:
            logger.warning("throttle cache unavailable; %s not limited", self.scope)
            return True

    def anonymous_ident(self, request) -> str:
        day = timezone.now().date().isoformat()
        salt = salted_hmac("api.throttling.salt", day, algorithm="sha256").hexdigest()
        return hashlib.sha256(f"{salt}:{self.get_ident(request)}".encode()).hexdigest()


class ClientThrottle(_RedisThrottle):
    """Every call: per key, per person, or per anonymous client."""

    scope = "anonymous"

    def get_scope_key(self, request) -> tuple[str, str]:
        if isinstance(request.auth, ApiKey):
            return "api_key", str(request.auth.public_id)
        if request.user.is_authenticated:
            return "user", str(request.user.pk)
        return "anonymous", self.anonymous_ident(request)

    def allow_request(self, request, view):
        self.scope, ident = self.get_scope_key(request)
        self.ident = ident
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


class PublicReportThrottle(_RedisThrottle):
    """Reports sent without an account, per anonymous client."""

    scope = "public_report"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.anonymous_ident(request)}
