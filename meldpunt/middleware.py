"""Keeping personal data out of browser and proxy caches."""

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
