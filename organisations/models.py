"""Organisations of the whole chain around a victim (police, inspectorate, prosecution, care,
shelter, youth care, coordinators, CoMensha, ...) and their members."""

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
        PROSECUTION = "prosecution", _("Public Prosecution Service (Openbaar Ministerie)")
        IND = "ind", _("Immigration and Naturalisation Service (IND)")
        COMENSHA = "comensha", _("National coordination centre against trafficking (CoMensha)")
        RIEC = "riec", _("Regional information and expertise centre (RIEC)")
        VEILIG_THUIS = (
            "veilig_thuis",
            _("Advice and reporting centre for domestic violence and child abuse (Veilig Thuis)"),
        )
        VICTIM_SUPPORT = "victim_support", _("Victim support (Slachtofferhulp Nederland)")
        CHILD_TRAFFICKING_CENTRE = (
            "ckm",
            _("Centre against child trafficking and human trafficking (CKM, Fier)"),
        )
        YOUTH_PROTECTION = (
            "youth_protection",
            _("Certified youth-protection institution (GI), such as Nidos"),
        )
        NGO = "ngo", _("Non-governmental organisation, such as FairWork")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    regions = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="organisations",
        verbose_name=_("regions served"),
        help_text=_(
            "For coordinator organisations: the areas whose signals they receive. For youth care "
            "(Veilig Thuis, a GI, CKM): the areas whose signals about minors they are given."
        ),
    )
    # A municipality's organisation is the municipality: its area's figures are its own.
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("For a municipality: which one, so that it reads its own area's figures."),
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
                | models.Q(kind__in=["coordinator", "comensha"]),
                name="fallback_coordinator_is_a_coordinator_organisation",
            ),
            # There is one national coordination centre: COSM requests and registrations go
            # to it, so two would leave the portal guessing which.
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="comensha"), name="one_comensha"
            ),
        ]

    def __str__(self) -> str:
        return self.name


Kind = Organisation.Kind

# The kinds of organisation whose coordinators handle signals (zorgcoördinatie, landelijke desk,
# and CoMensha, which coordinates areas without a coordinator of their own).
COORDINATING_KINDS = (Kind.COORDINATOR, Kind.NATIONAL_DESK, Kind.COMENSHA)
# The kinds of organisation that offer shelter or care (opvang aanbieders); Fier (CKM) runs
# shelter for young victims.
PROVIDER_KINDS = [Kind.SHELTER, Kind.HEALTH_CARE, Kind.YOUTH_CARE, Kind.CHILD_TRAFFICKING_CENTRE]
# Youth care that protects minors (Veilig Thuis, a GI such as Nidos, the CKM): the default routing
# rule for signals about minors gives the area's organisations of these kinds access.
YOUTH_PROTECTION_KINDS = [Kind.VEILIG_THUIS, Kind.YOUTH_PROTECTION, Kind.CHILD_TRAFFICKING_CENTRE]
# The kinds whose members may read figures (analyst): the government and the chain's coordination,
# not care providers or NGOs, which see their own signals only.
ANALYST_KINDS = [
    Kind.POLICE,
    Kind.KMAR,
    Kind.LABOUR_INSPECTORATE,
    Kind.PROSECUTION,
    Kind.IND,
    Kind.MUNICIPALITY,
    Kind.RIEC,
    Kind.COORDINATOR,
    Kind.NATIONAL_DESK,
    Kind.COMENSHA,
    Kind.MINISTRY,
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


def roles_for_kind(kind: str) -> list[str]:
    """The roles a member of an organisation of `kind` can hold, in the order of Role.

    Everyone's organisation has admins and a privacy officer. Professionals log and follow signals,
    except at a ministry, which reads figures only. Only organisations that coordinate have care
    coordinators; analysts are where figures are read (ANALYST_KINDS).
    """
    allowed = {Membership.Role.ORGANISATION_ADMIN, Membership.Role.PRIVACY_OFFICER}
    if kind != Kind.MINISTRY:
        allowed.add(Membership.Role.PROFESSIONAL)
    if kind in COORDINATING_KINDS:
        allowed.add(Membership.Role.COORDINATOR)
    if kind in ANALYST_KINDS:
        allowed.add(Membership.Role.ANALYST)
    return [role for role in Membership.Role.values if role in allowed]
