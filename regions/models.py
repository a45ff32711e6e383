"""Coordinator areas (regio's), the municipalities (gemeenten) that make them up, and the names
people give places.

Areas and the mapping of municipalities to areas are data, edited by the functional admin in the
Django admin and loaded from `regions/data/` by `manage.py load_regions` (see SOURCE.md there).
An area is where a zorgcoördinator works, as the public overview of zorgcoördinatoren draws it;
the veiligheidsregio's, provinces and police units are other divisions (`Division`), kept for
routing rules and figures, never for deciding who coordinates.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

municipality_code_validator = RegexValidator(
    r"^GM\d{4}$", _("A CBS municipality code is GM followed by four digits, e.g. GM0363.")
)


class Region(models.Model):
    """A zorgcoördinator's area (regio), or the national desk (landelijke desk).

    Who coordinates an area is not stored here: coordinator organisations name the areas they
    serve (`organisations.Organisation.regions`), and triage falls back to CoMensha or the
    national desk where none of them has an active coordinator. What the public overview publishes
    about an area's coordinator is in `AreaContact`.
    """

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Coordinator area")
        NATIONAL_DESK = "national_desk", _("National desk")

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGIONAL)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("coordinator area")
        verbose_name_plural = _("coordinator areas")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind="national_desk"),
                name="one_national_desk",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national_desk(self) -> bool:
        return self.kind == self.Kind.NATIONAL_DESK


class AreaContact(models.Model):
    """A coordinating organisation's published contact for an area (zorgcoördinator).

    Public data only, as the overview of zorgcoördinatoren publishes it. Without an area it is
    the contact of the national coordination that covers areas without a coordinator (CoMensha).
    """

    class Audience(models.TextChoices):
        EVERYONE = "", _("Everyone")
        UNDER_23 = "under_23", _("People younger than 23")
        FROM_23 = "from_23", _("People aged 23 or older")

    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("area"),
        help_text=_("Leave empty for the national coordination (CoMensha)."),
    )
    organisation = models.CharField(_("organisation"), max_length=160)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    phone_alt = models.CharField(_("other phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    audience = models.CharField(
        _("for"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("published coordinator contact")
        verbose_name_plural = _("published coordinator contacts")
        ordering = ["region__name", "order", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "organisation"],
                name="one_contact_per_area_and_organisation",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return self.organisation

    @staticmethod
    def tel(number: str) -> str:
        """The number for a tel: link: digits and a leading plus only."""
        return "".join(char for char in number if char.isdigit() or char == "+")

    @property
    def phone_link(self) -> str:
        return self.tel(self.phone)

    @property
    def phone_alt_link(self) -> str:
        return self.tel(self.phone_alt)


class Division(models.Model):
    """Another division of the country: a veiligheidsregio, a province or a police unit.

    Kept beside the coordinator areas for routing rules and figures; never who coordinates.
    """

    class Kind(models.TextChoices):
        SAFETY_REGION = "safety_region", _("Safety region (veiligheidsregio)")
        PROVINCE = "province", _("Province")
        POLICE_UNIT = "police_unit", _("Police unit (regionale eenheid)")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="one_division_per_kind_and_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Municipality(models.Model):
    """A Dutch municipality (gemeente) with its CBS code; it belongs to exactly one area.

    Its position (the point GeoNames gives the municipality) is what opvang distances are measured
    from, so that moving a municipality to another area never changes how far away an offer is.
    """

    code = models.CharField(
        _("CBS code"), max_length=6, unique=True, validators=[municipality_code_validator]
    )
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("area")
    )
    safety_region = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Division.Kind.SAFETY_REGION},
        verbose_name=_("safety region"),
    )
    province = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Division.Kind.PROVINCE},
        verbose_name=_("province"),
    )
    police_unit = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Division.Kind.POLICE_UNIT},
        verbose_name=_("police unit"),
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50.0), MaxValueValidator(54.0)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3.0), MaxValueValidator(7.5)],
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^GM[0-9]{4}$"), name="municipality_code_format"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def position(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def divisions(self) -> list[Division]:
        return [d for d in (self.safety_region, self.province, self.police_unit) if d is not None]


class Place(models.Model):
    """A name people use for a place, and the municipality it lies in (see `regions.places`)."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        WOONPLAATS = "woonplaats", _("Place (BAG woonplaats)")
        COMMON = "common", _("Common name")
        DISTRICT = "district", _("Village, hamlet or district")
        FOREIGN = "foreign", _("Name in another language")

    class Rank(models.IntegerChoices):
        PRIMARY = 1, _("Primary: tried first")
        SECONDARY = 2, _("Secondary: only when no primary name matches")

    name = models.CharField(_("name"), max_length=120)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="places",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), choices=Rank.choices, default=Rank.PRIMARY)
    # Computed from the name on every save (regions.places): what matching compares.
    key = models.CharField(max_length=120, db_index=True, editable=False)
    bare_key = models.CharField(max_length=120, db_index=True, editable=False)

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "municipality", "kind"], name="one_place_name_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_keys()
        super().save(*args, **kwargs)

    def fill_keys(self) -> None:
        from .places import bare_key, place_key

        self.key, self.bare_key = place_key(self.name)[:120], bare_key(self.name)[:120]


class Postcode(models.Model):
    """A four-digit postcode (PC4) and a municipality it lies in; some lie in more than one."""

    postcode = models.CharField(
        _("postcode"), max_length=4, validators=[RegexValidator(r"^[1-9][0-9]{3}$")]
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="postcodes",
        verbose_name=_("municipality"),
    )

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["postcode"]
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "municipality"], name="one_postcode_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.postcode
