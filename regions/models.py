"""Coordinator regions (regio's) and the municipalities (gemeenten) that make them up.

Regions and the mapping of municipalities to regions are data, edited by the functional admin in
the Django admin and loaded from `regions/data/` by `manage.py load_regions`.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

municipality_code_validator = RegexValidator(
    r"^GM\d{4}$", _("A CBS municipality code is GM followed by four digits, e.g. GM0363.")
)


class Region(models.Model):
    """A zorgcoördinator's region, or the national desk (landelijke desk)."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regional coordinator region")
        NATIONAL_DESK = "national_desk", _("National desk")

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGIONAL)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
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


class Municipality(models.Model):
    """A Dutch municipality (gemeente) with its CBS code; it belongs to exactly one region."""

    code = models.CharField(
        _("CBS code"), max_length=6, unique=True, validators=[municipality_code_validator]
    )
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
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
