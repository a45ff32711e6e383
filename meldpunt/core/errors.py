"""The pages for requests that went wrong: in the visitor's language and the portal's look.

While the database is away (a restart, a fail-over) every request that needs it fails. The person
then gets a page in their language that says to try again in a moment, with status 503 and
Retry-After, instead of a server error: nothing half was saved (each change is one transaction),
and the public form's answers wait in the session until the database is back. Connections recover
by themselves (`CONN_HEALTH_CHECKS` in the settings).

Django's own error pages are plain English; people reporting in their own language, often on a
phone and under stress, get a page that says what happened and what to do next instead.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30

ERROR_PAGES = {
    400: (
        _("Something in the request was not right"),
        _("Go back, reload the page and try again. Your earlier answers are kept."),
    ),
    403: (
        _("You may not open this page"),
        _("If you followed a link, it may be meant for someone else."),
    ),
    404: (
        _("This page does not exist"),
        _("The address may be mistyped, or the page may have been removed."),
    ),
    500: (
        _("Something went wrong on our side"),
        _("We have been told about it. Please try again in a few minutes."),
    ),
}
FORM_EXPIRED = (
    _("This form has expired"),
    _(
        "For your safety a form can only be sent for a limited time, and only with cookies "
        "allowed. Go back, reload the page and send it again."
    ),
)


def page_not_found(request, exception):
    return _error_page(request, 404, *ERROR_PAGES[404])


def permission_denied(request, exception):
    return _error_page(request, 403, *ERROR_PAGES[403])


def csrf_failure(request, reason=""):
    """`CSRF_FAILURE_VIEW`: most often a form left open too long, or cookies switched off."""
    return _error_page(request, 403, *FORM_EXPIRED)


def bad_request(request, exception):
    """`handler400`. A session that cannot be saved because the database is away reaches Django
    as an interrupted session (400, `SessionInterrupted`); it is the same outage."""
    if _caused_by_database_outage(exception):
        return database_unavailable(request)
    return _error_page(request, 400, *ERROR_PAGES[400])


def server_error(request):
    """`handler500`: Django calls it while handling the exception, so `sys.exc_info()` has it."""
    if _caused_by_database_outage(sys.exc_info()[1]):
        return database_unavailable(request)
    try:
        return _error_page(request, 500, *ERROR_PAGES[500])
    except Exception:
        # The fault may lie in what every page renders; Django's plain page needs none of it.
        logger.exception("the error page itself failed")
        return defaults.server_error(request)


def _caused_by_database_outage(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def database_unavailable(request):
    response = _render_in_visitor_language(request, "service_unavailable.html", {}, 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _error_page(request, status: int, title, text):
    context = {
        "title": title,
        "text": text,
        "status": status,
        # The failed address may belong to someone else's signal; the page does not repeat it.
        "language_switch_path": f"/{_visitor_language(request)}/",
    }
    return _render_in_visitor_language(request, "public/error.html", context, status)


def _visitor_language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language()


def _render_in_visitor_language(request, template: str, context: dict, status: int):
    with translation.override(_visitor_language(request)):
        response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response
