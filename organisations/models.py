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


class Membership(models.Model):
    """A user's place in an organisation, with one or more roles."""

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

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    def role_labels(self) -> list[str]:
        """The roles in the reader's language, for pages that list members."""
        return [str(self.Role(role).label) for role in self.roles]
