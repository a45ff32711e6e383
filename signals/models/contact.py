"""How a person can be contacted safely: kept for a public reporter (on the signal) and for a
person a professional recorded (on the person)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactWishes(models.Model):
    """How a person can be contacted safely (a phone may be watched or taken away): a public
    reporter's own wishes, given when they agree to be contacted, or a victim's, recorded by a
    professional. Shown on the case page next to every way to contact them."""

    class Channel(models.TextChoices):
        CALL = "call", _("Phone call")
        TEXT = "text", _("Text message (SMS)")
        EMAIL = "email", _("E-mail")
        VIA_SUBMITTER = "via_submitter", _("Only through the organisation that reported")

    class Time(models.TextChoices):
        MORNING = "morning", _("Morning (8–12)")  # noqa: RUF001
        AFTERNOON = "afternoon", _("Afternoon (12–17)")  # noqa: RUF001
        EVENING = "evening", _("Evening (17–21)")  # noqa: RUF001

    contact_channel = models.CharField(
        _("how to contact"), max_length=16, choices=Channel.choices, blank=True
    )
    # Empty: nothing said, not "never".
    contact_times = ArrayField(
        models.CharField(max_length=16, choices=Time.choices),
        verbose_name=_("safe times of day"),
        default=list,
        blank=True,
        size=len(Time.choices),
    )
    contact_voicemail = models.BooleanField(_("a voicemail may be left"), null=True, blank=True)
    contact_sms = models.BooleanField(_("a text message may be sent"), null=True, blank=True)
    contact_language = models.CharField(
        _("language to contact in"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    contact_interpreter = models.BooleanField(_("needs an interpreter"), null=True, blank=True)

    WISH_FIELDS = (
        "contact_channel",
        "contact_times",
        "contact_voicemail",
        "contact_sms",
        "contact_language",
        "contact_interpreter",
    )

    class Meta:
        abstract = True

    @property
    def has_contact_wishes(self) -> bool:
        return any(getattr(self, name) not in (None, "", []) for name in self.WISH_FIELDS)

    def get_contact_times_display(self) -> str:
        labels = dict(self.Time.choices)
        return ", ".join(str(labels.get(time, time)) for time in self.contact_times)
