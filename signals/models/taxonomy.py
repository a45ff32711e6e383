"""What signals are classified by: forms of exploitation and the indicators (signalenlijst).

Content kept by the functional admin, translated with modeltranslation (`signals/translation.py`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExploitationForm(models.Model):
    """A form of exploitation (uitbuitingsvorm): sexual, labour, criminal, organ removal, unknown.

    Content kept by the functional admin; names and texts are translated (modeltranslation).
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description in plain words"), blank=True)
    examples = models.TextField(_("examples"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("form of exploitation")
        verbose_name_plural = _("forms of exploitation")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class IndicatorCategory(models.Model):
    """A group of indicators in the signalenlijst (dependency, restricted freedoms, ...)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator category")
        verbose_name_plural = _("indicator categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One indicator (signaal) of the checklist, shared by the public and professional forms."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    category = models.ForeignKey(
        IndicatorCategory, on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    public_text = models.CharField(
        _("question in plain words for the public form"), max_length=200, blank=True
    )
    # The same question for a reporter about themself, in the second person ("Someone else
    # keeps your passport"), as a self-check asks it.
    self_text = models.CharField(
        _("question for a reporter about themself"), max_length=200, blank=True
    )
    help_text = models.TextField(_("help text"), blank=True)
    forms = models.ManyToManyField(
        ExploitationForm, blank=True, related_name="indicators", verbose_name=_("forms")
    )
    is_public = models.BooleanField(_("asked on the public form"), default=False)
    weight = models.PositiveSmallIntegerField(
        _("weight in triage"),
        default=1,
        help_text=_("How strongly this indicator raises priority."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["category__order", "order", "code"]

    def __str__(self) -> str:
        return self.name
