"""Making, checking and revoking API keys. Keys are only ever stored as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from organisations.models import Membership, Organisation
from organisations.services import add_member, remove_member

from .models import PREFIX_LENGTH, ApiKey

# The roles a key may act in: reading and writing signals, and coordinating. Never the roles that
# manage people or read the access log.
KEY_ROLES = [Membership.Role.PROFESSIONAL, Membership.Role.COORDINATOR]
# last_used_at is written at most this often, not on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


@transaction.atomic
def create_api_key(
    organisation: Organisation, *, name: str, scope: str, roles: Iterable[str], by: User
) -> tuple[ApiKey, str]:
    """Make a key for `organisation`; returns the key and its secret, which is never stored."""
    roles = [role for role in roles if role in KEY_ROLES]
    if not roles:
        raise ValueError("an API key needs at least one of the roles " + ", ".join(KEY_ROLES))
    raw_key = secrets.token_urlsafe(32)
    public_id = uuid.uuid4()
    service_user = User.objects.create_user(
        email=f"api-key-{public_id}@api-keys.invalid",
        password=None,
        first_name=f"API key {name}"[:150],
    )
    add_member(organisation, user=service_user, roles=roles)
    api_key = ApiKey.objects.create(
        public_id=public_id,
        organisation=organisation,
        name=name,
        prefix=raw_key[:PREFIX_LENGTH],
        secret_hash=hash_key(raw_key),
        scope=scope,
        service_user=service_user,
        created_by=by,
    )
    return api_key, raw_key


def authenticate_key(raw_key: str) -> ApiKey | None:
    """The active key with this secret, or None. The hashes are compared in constant time."""
    digest = hash_key(raw_key)
    candidates = ApiKey.objects.filter(
        prefix=raw_key[:PREFIX_LENGTH], revoked_at__isnull=True
    ).select_related("service_user", "organisation")
    for api_key in candidates:
        if hmac.compare_digest(api_key.secret_hash, digest) and api_key.service_user.is_active:
            _mark_used(api_key)
            return api_key
    return None


def _mark_used(api_key: ApiKey) -> None:
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now


@transaction.atomic
def revoke_api_key(api_key: ApiKey) -> None:
    """Stop the key now: it is marked revoked and its service user loses its membership."""
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is not None:
        return
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])
    for membership in api_key.service_user.memberships.all():
        remove_member(membership)
    User.objects.filter(pk=api_key.service_user_id).update(is_active=False)
