"""`Authorization: Api-Key <key>` for partner systems; sessions for the browser."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .services import authenticate_key

KEYWORD = "Api-Key"
# A key is 43 characters; anything much longer is not a key and is not hashed.
MAX_KEY_LENGTH = 100


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """The key's service user becomes request.user and the key request.auth."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2 or len(header[1]) > MAX_KEY_LENGTH:
            raise exceptions.AuthenticationFailed(_("The API key header is malformed."))
        try:
            raw_key = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("The API key header is malformed.")) from error
        api_key = authenticate_key(raw_key)
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("This API key is unknown or was revoked."))
        return api_key.service_user, api_key

    def authenticate_header(self, request) -> str:
        # Makes an unauthenticated call answer 401 with a challenge rather than 403.
        return KEYWORD


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`",
        }
