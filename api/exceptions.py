"""One error shape for every API answer: {"error": {"code", "message", "fields"}}.

The message is in the caller's language. Unexpected errors are logged and answered with the same
shape and status 500, never with a stack trace.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import set_rollback

from meldpunt.core.errors import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _from_django_validation(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        # Each message keeps the service's code (e.g. "too_long"), which the body's code names.
        return exceptions.ValidationError(
            {
                field: [
                    ErrorDetail(message, code=item.code or "invalid")
                    for item in errors
                    for message in item.messages
                ]
                for field, errors in error.error_dict.items()
            }
        )
    return exceptions.ValidationError(
        {"non_field_errors": error.messages}, code=getattr(error, "code", None) or "invalid"
    )


def _first_code(codes) -> str:
    while isinstance(codes, dict | list):
        if not codes:
            return "invalid"
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return str(codes)


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = _from_django_validation(exc)
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError()

    if isinstance(exc, OperationalError | InterfaceError):
        # The database is away (a restart): nothing half was saved, the client may send again.
        logger.warning("database unavailable: %s", exc)
        return Response(
            error_body("unavailable", _("Please try again in a moment.")),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if not isinstance(exc, exceptions.APIException):
        logger.exception("unexpected error in the API", exc_info=exc)
        set_rollback()
        return Response(
            error_body("server_error", _("Something went wrong on our side. Please try again.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = error_body(
            _first_code(exc.get_codes()) if isinstance(exc.detail, dict) else "invalid",
            _("Some of the data is not valid; see the fields."),
            detail,
        )
    else:
        body = error_body(exc.default_code, exc.detail)
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint; exempt from CSRF, as it changes nothing,
    so that a POST gets this answer rather than an HTML 403."""
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)
