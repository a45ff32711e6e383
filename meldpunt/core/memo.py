"""Answers kept for the rest of one request: what a page asks several times (the user's roles for
the menu, whether they may handle this signal, the areas of their queue) is asked once.

Only within a request (RequestMemoMiddleware): outside one (a task, a command, a test calling a
selector) nothing is kept, so nothing can go stale between two steps of the caller's own. Within a
request a kept answer holds until it ends; a view that changes what it asked about asks the
database directly (e.g. coordination.selectors.can_still_triage after a transfer).
"""

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_kept: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def memoised(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or its answer kept under `key` earlier in this request."""
    kept = _kept.get()
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def remember(key: Hashable, value) -> None:
    """Keep an answer learnt on the way (a query that already proved it) for this request."""
    kept = _kept.get()
    if kept is not None:
        kept[key] = value


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _kept.set({})
        try:
            return self.get_response(request)
        finally:
            _kept.reset(token)
