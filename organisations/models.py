"""Organisations (police, inspectorate, care, shelter, coordinators, ...) and their members."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", _("Police (AVIM)")
        KMAR = "kmar", _("Royal Netherlands Marechaussee (KMar)")
        LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate (NLA)")
        MUNICIPALITY = "municipality", _("Municipality")
        HEALTH_CARE = "health_care", _("Health care")
        YOUTH_CARE = "youth_care", _("Youth care")
        SHELTER = "shelter", _("Shelter or care provider (opvang)")
        COA = "coa", _("Central Agency for the Reception of Asylum Seekers (COA)")
        COORDINATOR = "coordinator", _("Care coordinator organisation (zorgcoördinatie)")
        NATIONAL_DESK = "national_desk", _("National desk")
        MINISTRY = "ministry", _("Ministry or programme")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    regions = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="organisations",
        verbose_name=_("regions served"),
        help_text=_("For coordinator organisations: the regions whose signals they receive."),
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    coordinates_uncovered_areas = models.BooleanField(
        _("coordinates areas without a coordinator of their own"),
        default=False,
        help_text=_(
            "CoMensha: signals from an area where no coordinator organisation has an active "
            "coordinator go here (unless the portal is set to send them to the national desk)."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["coordinates_uncovered_areas"],
                condition=models.Q(coordinates_uncovered_areas=True),
                name="one_fallback_coordinator",
            ),
            models.CheckConstraint(
                condition=models.Q(coordinates_uncovered_areas=False)
                | models.Q(kind="coordinator"),
                name="fallback_coordinator_is_a_coordinator_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# The kinds of organisation whose coordinators handle signals (zorgcoördinatie, landelijke desk).
COORDINATING_KINDS = (Organisation.Kind.COORDINATOR, Organisation.Kind.NATIONAL_DESK)
# The kinds of organisation that offer shelter or care (opvang aanbieders).
PROVIDER_KINDS = [
    Organisation.Kind.SHELTER,
    Organisation.Kind.HEALTH_CARE,
    Organisation.Kind.YOUTH_CARE,
]


class MembershipQuerySet(models.QuerySet):
    """Changes in bulk would pass by the model's signals, which keep a member's groups and
    sessions in step with their roles (organisations.services): they are refused. A queryset
    delete is allowed, it sends the signals for each row."""

    def update(self, **kwargs):
        raise PermissionError("change memberships through organisations.services")

    def bulk_create(self, *args, **kwargs):
        raise PermissionError("add members through organisations.services")

    def bulk_update(self, *args, **kwargs):
        raise PermissionError("change memberships through organisations.services")


class Membership(models.Model):
    """A user's place in an organisation, with one or more roles.

    Change it through `organisations.services` (add_member, set_roles, remove_member), which
    apply the rules and audit the change. Whatever saves or deletes a row (those services, the
    Django admin, a shell, the cascade of a deleted organisation or user), the model's signals
    end in `organisations.services.membership_saved` or `membership_deleted`: the member's
    groups follow the roles, and a role lost ends the member's sessions at once.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Role(models.TextChoices):
        PROFESSIONAL = "professional", _("Professional")
        COORDINATOR = "coordinator", _("Care coordinator")
        ORGANISATION_ADMIN = "organisation_admin", _("Organisation admin")
        PRIVACY_OFFICER = "privacy_officer", _("Privacy officer (FG)")
        ANALYST = "analyst", _("Analyst")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    roles = ArrayField(
        models.CharField(max_length=32, choices=Role.choices), verbose_name=_("roles"), size=5
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    @classmethod
    def from_db(cls, db, field_names, values):
        membership = super().from_db(db, field_names, values)
        # The roles as stored, so that a save can tell which were lost.
        membership.stored_roles = list(membership.roles) if "roles" in field_names else None
        return membership

    def role_labels(self) -> list[str]:
        """The roles in the reader's language, for pages that list members."""
        return [str(self.Role(role).label) for role in self.roles]


class MembershipChange(models.Model):
    """One change to an organisation's members (audit): who changed whose roles, from what to
    what, when. Append-only in the application, like the access log."""

    class Kind(models.TextChoices):
        ADDED = "added", _("Added")
        ROLES = "roles", _("Roles changed")
        REMOVED = "removed", _("Removed")
        REQUESTED = "requested", _("Asked for a role that needs a second admin")
        APPROVED = "approved", _("Role approved by a second admin")
        DECLINED = "declined", _("Role declined by a second admin")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="membership_changes"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    member_email = models.EmailField(_("member"))
    # Empty for what no person did (the cascade of a deleted organisation, a command).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    roles_before = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    roles_after = ArrayField(models.CharField(max_length=32), default=list, blank=True)

    class Meta:
        verbose_name = _("change to members")
        verbose_name_plural = _("changes to members")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.member_email} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the record of changes to members is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the record of changes to members is append-only")

    @property
    def by_themself(self) -> bool:
        return self.by_id is not None and self.by_id == self.member_id


class RoleRequest(models.Model):
    """A role an organisation admin wants for themself that a second admin must grant: the
    privacy officer's, which reads everyone's access log."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="requests")
    role = models.CharField(max_length=32, choices=Membership.Role.choices)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "role"],
                condition=models.Q(decided_at__isnull=True),
                name="one_open_request_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} → {self.role}"
