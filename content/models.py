"""Public content (publieksinformatie): information pages and help contacts.

Edited by the functional admin in the Django admin and translated with modeltranslation; a text
without a translation falls back to Dutch.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^[0-9+][0-9 ()-]{1,30}$",
    _("Enter a phone number of digits, spaces, brackets and dashes, e.g. 0900 0101."),
)


class ContentPage(models.Model):
    """An information page, e.g. "What is human trafficking" (wat is mensenhandel).

    The body is plain text with a few markdown-like conventions (see content.rendering); HTML typed
    into it is shown as text, never interpreted.
    """

    slug = models.SlugField(_("address name"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=160)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(
        _("text"),
        max_length=20_000,
        help_text=_(
            "Plain text. An empty line starts a new paragraph, a line starting with '## ' is a "
            "heading and lines starting with '- ' form a list."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title


class HelpContact(models.Model):
    """A public place to get help (hulpcontact): national when it has no region.

    Only public contact details belong here: shelter addresses are confidential and have no field.
    """

    # The national contacts that content/data/public.json lists carry its code, so that
    # load_content finds them again; contacts the admin adds have none.
    code = models.SlugField(
        _("code"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="help_contacts",
        verbose_name=_("region"),
        help_text=_("Leave empty for a national contact."),
    )
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("what they help with"), max_length=2_000, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[phone_validator])
    website = models.URLField(_("website"), max_length=300, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    source = models.URLField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_(
            "The public page where the phone number and opening hours were checked. A number "
            "that no public page confirms is left out."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("help contact")
        verbose_name_plural = _("help contacts")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_link(self) -> str:
        """The number for a tel: link: digits and a leading plus only."""
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


class LoadedValue(models.Model):
    """What `load_content` last wrote into one field of one object, as a SHA-256 digest.

    A stored value that still has this digest was not edited since: a changed text in the files
    may replace it. A stored value with another digest was edited in the admin on purpose, and
    stays (unless the loader is told to overwrite).
    """

    model = models.CharField(max_length=64)
    key = models.CharField(max_length=120)
    field = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key", "field"], name="loaded_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.key} {self.field}"
