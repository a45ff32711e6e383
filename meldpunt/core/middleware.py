"""Keeping personal data out of browser and proxy caches; the client address behind the proxy."""

import ipaddress

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class NoStoreForProfessionalsMiddleware:
    """Every response to a signed-in professional and every API response is marked `no-store`:
    after sign-out, the back button or the disk cache of a shared computer must not show a case.
    The public pages that hold a reporter's data mark themselves (`never_cache`); the other
    public pages stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response


class ClientAddressMiddleware:
    """Behind `TRUSTED_PROXY_COUNT` reverse proxies that each append the address they saw to
    X-Forwarded-For, sets REMOTE_ADDR to the address the outermost trusted proxy saw: with N
    proxies and `X-Forwarded-For: a, b, c`, the N-th entry from the right (N=1: `c`). Entries to
    the left of it come from the client and are ignored. With 0 (the default) the header is
    ignored entirely; a missing, too short or garbled header leaves REMOTE_ADDR as it is.

    Runs first, so the public form's rate limits, DRF's throttles (NUM_PROXIES 0) and axes
    (REMOTE_ADDR only) all see one client address. The address is only used for rate limiting
    and lock-out; it is never stored with a signal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read on each request, so a test (or a changed setting) applies at once.
        proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
        if proxies > 0:
            address = self.forwarded_client(request.META.get("HTTP_X_FORWARDED_FOR", ""), proxies)
            if address is not None:
                request.META["REMOTE_ADDR"] = address
        return self.get_response(request)

    @staticmethod
    def forwarded_client(header: str, proxies: int) -> str | None:
        entries = [entry.strip() for entry in header.split(",")] if header else []
        if len(entries) < proxies:
            return None
        try:
            return str(ipaddress.ip_address(entries[-proxies]))
        except ValueError:
            return None


class SessionRefreshMiddleware:
    """Pushes back the idle expiry of a session the request used but did not change, at most once
    every REFRESH_SECONDS (meldpunt.core.sessions); a changed session is saved as a whole by
    Django's SessionMiddleware, which this one sits inside of."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.accessed
            and not session.modified
            and response.status_code != 500
            and getattr(session, "needs_refresh", lambda: False)()
        ):
            session.refresh()
        return response
