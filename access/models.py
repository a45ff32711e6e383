"""Object permissions on signals, shares with other organisations, and the access log.

Access is granted to organisations, never to single people: each organisation has a Django group
per role (organisations.services.group_for) and these models link those groups to signals. The
direct foreign keys (instead of guardian's generic ones) keep the permission filter an indexed join.
`user.has_perm(perm, signal)` reads them through access.backends.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from meldpunt.core.fields import EncryptedCharField
from organisations.models import Membership


class SignalGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("signals.Signal", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("signal permission of a group")
        indexes = [
            models.Index(
                fields=["content_object", "permission", "group"], name="signal_group_perm_idx"
            )
        ]


# Whom a share reaches in the receiving organisation unless it names other roles: the people who
# handle cases. Never the organisation's admins, its privacy officer or its API keys by default:
# they have no need to read the case.
CASE_HANDLING_ROLES = (Membership.Role.PROFESSIONAL, Membership.Role.COORDINATOR)


def case_handling_roles() -> list[str]:
    """The default of `Share.roles` (a callable, so that no two rows share one list)."""
    return [str(role) for role in CASE_HANDLING_ROLES]


class Share(models.Model):
    """A signal shared with another organisation on a recorded legal basis (AVG art. 6).

    It gives read access to the members of the receiving organisation who hold one of `roles`
    there, and to its API keys only when `api_keys` says so."""

    PURPOSE_MAX_LENGTH = 500

    class LegalBasis(models.TextChoices):
        LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (AVG art. 6(1)(c))")
        VITAL_INTERESTS = "vital_interests", _("Vital interests (AVG art. 6(1)(d))")
        PUBLIC_TASK = "public_task", _("Public task (AVG art. 6(1)(e))")
        CONSENT = "consent", _("Consent of the person (AVG art. 6(1)(a))")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="shares_received"
    )
    # Empty when a routing rule shared it (triage), not a person.
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legal_basis = models.CharField(_("legal basis"), max_length=32, choices=LegalBasis.choices)
    roles = ArrayField(
        models.CharField(max_length=32, choices=Membership.Role.choices),
        verbose_name=_("roles it reaches"),
        default=case_handling_roles,
        size=5,
    )
    api_keys = models.BooleanField(_("also the organisation's API keys"), default=False)
    # Free text, which may name the people involved: encrypted, and never copied into the log.
    purpose = EncryptedCharField(_("purpose"), max_length=PURPOSE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    ends_on = models.DateField(_("ends on"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        indexes = [
            models.Index(
                fields=["signal", "organisation"],
                condition=models.Q(revoked_at__isnull=True),
                name="active_share_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} → {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.ends_on >= timezone.localdate()


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the access log is append-only")

    def delete(self):
        raise PermissionError("the access log is append-only")


class AccessLogEntry(models.Model):
    """One read or change of a signal's details: who, for which organisation, when, what, why.

    Append-only: the application cannot change or delete entries, and neither can SQL (a database
    trigger refuses UPDATE, DELETE and TRUNCATE).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed details")
        DOWNLOAD = "download", _("Downloaded an attachment")
        EXPORT = "export", _("Exported")
        SHARE = "share", _("Shared")
        REVOKE_SHARE = "revoke_share", _("Revoked a share")
        TRANSFER = "transfer", _("Transferred")
        STATUS = "status", _("Changed status")
        ANONYMISE = "anonymise", _("Personal data removed (retention)")
        # Data-subject requests (privacy app): the privacy officer's search and erasure.
        SUBJECT_SEARCH = "subject_search", _("Searched for a data subject")
        ERASE = "erase", _("Personal data erased (data-subject request)")
        MERGE = "merge", _("Merged a duplicate")
        SPLIT = "split", _("Split a duplicate off")
        CONNECTION = "connection", _("Decided on a possible connection")

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Empty for what the system does by itself (retention).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    purpose = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the access log is append-only")
