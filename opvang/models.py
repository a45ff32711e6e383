"""Shelter and care (opvang): providers' offers with their free places, and placement requests."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldpunt.core.fields import EncryptedCharField
from organisations.models import PROVIDER_KINDS, Organisation

# A place count above this is a typing error, not a shelter.
MAX_PLACES = 10_000


class Offer(models.Model):
    """A shelter or care offer (opvangaanbod) of a provider, with its target groups and places.

    The address is confidential: only coordinators and the provider itself see it
    (see `access.roles.can_see_address`).
    """

    class Kind(models.TextChoices):
        COSM = "cosm", _("Categorical shelter for victims of trafficking (COSM)")
        CRISIS = "crisis", _("Crisis shelter")
        WOMEN = "women_shelter", _("Women's shelter")
        MEN = "men_shelter", _("Men's shelter")
        YOUTH_CARE = "youth_care", _("Youth care")
        AMBULATORY = "ambulatory", _("Ambulatory care")
        MEDICAL = "medical", _("Medical or psychological care")
        LEGAL_AID = "legal_aid", _("Legal aid")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Women")
        MALE = "male", _("Men")
        OTHER = "other", _("Non-binary or other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="offers",
        limit_choices_to={"kind__in": PROVIDER_KINDS},
        verbose_name=_("provider"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("region served"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("municipality"),
    )
    genders = ArrayField(
        models.CharField(max_length=8, choices=Gender.choices),
        size=3,
        verbose_name=_("genders accepted"),
    )
    accepts_adults = models.BooleanField(_("accepts adults"), default=True)
    accepts_minors = models.BooleanField(_("accepts minors"), default=False)
    forms = models.ManyToManyField(
        "signals.ExploitationForm",
        related_name="offers",
        verbose_name=_("forms of exploitation"),
    )
    languages = ArrayField(
        models.CharField(max_length=10),
        size=40,
        blank=True,
        default=list,
        verbose_name=_("languages spoken"),
    )
    accepts_children = models.BooleanField(_("accepts children with their parent"), default=False)
    wheelchair_access = models.BooleanField(_("wheelchair access"), default=False)
    secure_address = models.BooleanField(_("secure (secret) address"), default=False)
    address = models.TextField(
        _("address (confidential)"),
        max_length=300,
        blank=True,
        help_text=_("Only coordinators and your own organisation see this address."),
    )
    total_places = models.PositiveIntegerField(
        _("total places"), validators=[MaxValueValidator(MAX_PLACES)]
    )
    free_places = models.PositiveIntegerField(_("free places"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # When the provider last confirmed the free places; older than OPVANG_STALE_AFTER is stale.
    updated_at = models.DateTimeField(_("places last updated"), default=timezone.now)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["region__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(free_places__gte=0)
                & models.Q(free_places__lte=models.F("total_places")),
                name="offer_free_places_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(accepts_adults=True) | models.Q(accepts_minors=True),
                name="offer_accepts_adults_or_minors",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_stale(self) -> bool:
        return self.updated_at < timezone.now() - settings.OPVANG_STALE_AFTER


class PlacementRequest(models.Model):
    """A coordinator's request to place the person of a signal in an offer (plaatsingsverzoek).

    The needs are stored as the coordinator entered them (gender, age group, language, ...), never
    a name: the placing organisation (the provider, or CoMensha for COSM) decides on them, and the
    provider meets the person through the coordinator.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired without answer")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.CASCADE, related_name="placement_requests"
    )
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="placement_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requesting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="placement_requests_sent"
    )
    # Who decides: the offer's provider, or CoMensha for a COSM place (it holds the placement
    # authority there). Kept on the request, so that the pages show who answers.
    placing_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="placement_requests_to_decide",
        verbose_name=_("decided by"),
    )
    needs = models.JSONField(_("needs"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    # The provider's words when declining: free text, so encrypted at rest.
    reason = EncryptedCharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("provider reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement request")
        verbose_name_plural = _("placement requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "offer"],
                condition=models.Q(status="requested"),
                name="one_open_request_per_signal_and_offer",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="requested", reminded_at__isnull=True),
                name="placement_reminder_watch_idx",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    def save(self, *args, **kwargs):
        # The provider decides unless the request names another (opvang.services: CoMensha).
        if self.placing_organisation_id is None:
            self.placing_organisation_id = self.offer.provider_id
        super().save(*args, **kwargs)

    @property
    def placed_by_comensha(self) -> bool:
        return self.placing_organisation_id != self.offer.provider_id
