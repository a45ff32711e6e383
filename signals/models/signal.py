"""The signal (signaal) itself and the files that came with it."""

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import EmailValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from meldpunt.core import crypto
from meldpunt.core.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedTextField,
    SearchTokensField,
)
from meldpunt.core.storage import private_storage

from .. import identifiers
from .contact import ContactWishes
from .taxonomy import ExploitationForm, Indicator

DESCRIPTION_MAX_LENGTH = 10_000


class Signal(ContactWishes):
    """A report of possible trafficking. Not yet a case, often vague, sometimes anonymous.

    The numeric primary key never leaves the server: pages, the API and links use `public_id`.
    No IP address or other trace of the reporter's device is stored.
    """

    class Source(models.TextChoices):
        PUBLIC = "public", _("Public form")
        PROFESSIONAL = "professional", _("Professional")
        API = "api", _("Partner system")

    class Status(models.TextChoices):
        # A professional's unfinished intake: not received, not triaged, seen only by its author.
        DRAFT = "draft", _("Draft")
        NEW = "new", _("New")
        TRIAGED = "triaged", _("Triaged")
        IN_PROGRESS = "in_progress", _("In progress")
        CARE_ARRANGED = "care_arranged", _("Care arranged")
        REFERRED_POLICE = "referred_police", _("Referred to police")
        REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
        NO_TRAFFICKING = "no_trafficking", _("No trafficking")
        UNREACHABLE = "unreachable", _("Could not be reached")
        CLOSED = "closed", _("Closed")

    class LocationKind(models.TextChoices):
        MUNICIPALITY = "municipality", _("In a Dutch municipality")
        ABROAD = "abroad", _("Abroad")
        ONLINE = "online", _("Online")
        UNKNOWN = "unknown", _("Unknown")

    class Priority(models.IntegerChoices):
        URGENT = 1, _("Urgent")
        HIGH = 2, _("High")
        NORMAL = 3, _("Normal")

    class Track(models.TextChoices):
        STANDARD = "standard", _("Standard")
        MINORS = "minors", _("Minors (youth care involved)")

    class Wish(models.TextChoices):
        YES = "yes", _("Wants them involved")
        NO = "no", _("Does not want them involved")
        UNKNOWN = "unknown", _("Not known")

    class VictimConsent(models.TextChoices):
        AGREES = "agrees", _("Knows of the report and agrees")
        DISAGREES = "disagrees", _("Knows of the report and does not agree")
        NOT_INFORMED = "not_informed", _("Does not know of the report")
        UNKNOWN = "unknown", _("Unknown")

    class OccurredPeriod(models.TextChoices):
        ONGOING = "ongoing", _("Still going on")
        DAYS = "days", _("In the last few days")
        WEEKS = "weeks", _("In the last few weeks")
        MONTHS = "months", _("Some months ago")
        YEAR = "year", _("More than a year ago")
        UNKNOWN = "unknown", _("Not known")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A key the submitting form carries, so that sending the same form twice creates one signal.
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.NEW, db_index=True
    )
    description = EncryptedTextField(_("what was seen"), max_length=DESCRIPTION_MAX_LENGTH)
    # The words of the description as blind indexes (meldpunt.core.crypto.search_tokens): the
    # queue's search, since the description itself is encrypted.
    search_tokens = SearchTokensField(derive="compute_search_tokens")
    location_kind = models.CharField(
        _("where"), max_length=16, choices=LocationKind.choices, default=LocationKind.UNKNOWN
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    forms = models.ManyToManyField(
        ExploitationForm,
        blank=True,
        related_name="signals",
        verbose_name=_("forms of exploitation"),
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="signals", verbose_name=_("indicators")
    )
    is_urgent = models.BooleanField(_("someone is in danger now"), default=False)
    involves_minor = models.BooleanField(_("a minor may be involved"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_signals",
        verbose_name=_("submitted by organisation"),
    )
    # Professional intake (intake.professional): who wrote it, their reference, the victim's say.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    own_reference = models.CharField(_("own reference"), max_length=100, blank=True)
    victim_consent = models.CharField(
        _("the possible victim knows of the report"),
        max_length=16,
        choices=VictimConsent.choices,
        default=VictimConsent.UNKNOWN,
    )
    # Whether the possible victim wants the police, or the immigration authorities, involved:
    # asked by both intakes. Acting against it needs a recorded reason, unless a minor is
    # involved or someone is in danger now (coordination.services.check_victim_wishes).
    victim_wants_police = models.CharField(
        _("the possible victim wants the police involved"),
        max_length=8,
        choices=Wish.choices,
        default=Wish.UNKNOWN,
    )
    victim_wants_immigration = models.CharField(
        _("the possible victim wants the immigration authorities involved"),
        max_length=8,
        choices=Wish.choices,
        default=Wish.UNKNOWN,
    )

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("routed to region"),
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    # Set by the triage service (see triage/rules.py): how urgent, which track, looked at by when.
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    track = models.CharField(
        _("track"), max_length=16, choices=Track.choices, default=Track.STANDARD
    )
    deadline = models.DateTimeField(_("look at before"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    # Dead letter: triage failed every retry. Shown in the admin with the error, never lost.
    triage_failed_at = models.DateTimeField(_("triage failed at"), null=True, blank=True)
    triage_error = models.CharField(_("triage error"), max_length=500, blank=True)

    # Case handling by the region's coordinators (coordination app).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_signals",
        verbose_name=_("assigned to"),
    )
    # Set when its identifiers were compared with other signals' (see coordination.services).
    linked_at = models.DateTimeField(_("connections looked up at"), null=True, blank=True)
    # Retention: when the personal data was removed; what remains is only for the figures.
    anonymised_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)
    # Samenvoegen: a duplicate (the same situation reported again) points at the signal that is
    # handled. Nothing moves or is deleted; splitting clears these two fields again.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)

    # Public intake (intake.public): the reporter's further answers and optional contact; how
    # to contact them safely are the ContactWishes fields, given only with consent to contact.
    # True: the reporter says it is happening to them (a possible victim reporting themself);
    # with contact details they asked to be called back in the signal's language.
    about_reporter = models.BooleanField(
        _("the reporter reports about themself"), null=True, blank=True
    )
    # When it happened as a choice (a code of OccurredPeriod), read in every language; and in
    # the reporter's own words.
    occurred_period = models.CharField(
        _("when, roughly"), max_length=16, choices=OccurredPeriod.choices, blank=True
    )
    occurred_when = EncryptedCharField(_("when"), max_length=200, blank=True)
    people_count = models.PositiveSmallIntegerField(_("number of people"), null=True, blank=True)
    contact_name = EncryptedCharField(_("reporter's name"), max_length=200, blank=True)
    contact_phone = EncryptedCharField(_("reporter's phone (E.164)"), max_length=16, blank=True)
    contact_email = EncryptedCharField(
        _("reporter's e-mail"), max_length=254, blank=True, validators=[EmailValidator()]
    )
    # Blind indexes of the contact details, so the privacy officer can find a reporter.
    contact_name_key = BlindIndexField(derive="compute_contact_name_key")
    contact_phone_key = BlindIndexField(derive="compute_contact_phone_key")
    contact_email_key = BlindIndexField(derive="compute_contact_email_key")
    # The receipt code (signals.receipts) is never stored: an HMAC under a key derived from
    # SECRET_KEY finds the row, and a slow password hash confirms the code.
    receipt_lookup = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # Only for signals stored before: an Argon2 hash of the code, cleared when the code is next
    # used (signals.receipts); empty for every signal since.
    receipt_hash = models.CharField(max_length=128, blank=True, editable=False)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-created_at"]
        permissions = [
            ("triage_signal", _("Can triage, assign and transfer the signal")),
            ("contribute_signal", _("Can add information and answer questions")),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="new"),
                name="signal_untriaged_idx",
            ),
            models.Index(
                fields=["deadline"],
                condition=models.Q(status="triaged", overdue_at__isnull=True),
                name="signal_deadline_watch_idx",
            ),
            # The coordinators' queue search: search_tokens__contains (coordination.selectors).
            GinIndex(fields=["search_tokens"], name="signal_search_tokens"),
            # The queue search by the submitter's own case number (own_reference__iexact).
            models.Index(Upper("own_reference"), name="signal_own_reference_idx"),
            # A region's open queue in its order (coordination.selectors.QUEUE_ORDER), so a page
            # is read from where its cursor points; "no deadline" sorts last as the far future
            # (coordination.cursors.NO_DEADLINE, the same value). It includes what the quick
            # filters and counts test, so those are answered from the index alone.
            models.Index(
                models.F("region"),
                models.F("priority"),
                models.Func(
                    models.F("deadline"),
                    models.Value("9999-12-31T00:00:00+00:00", output_field=models.DateTimeField()),
                    function="COALESCE",
                ),
                models.F("created_at"),
                models.F("public_id"),
                include=[
                    "id",
                    "deadline",
                    "status",
                    "source",
                    "is_urgent",
                    "involves_minor",
                    "overdue_at",
                    "assigned_to",
                    "merged_into",
                ],
                condition=~models.Q(status="closed"),
                name="signal_queue_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(location_kind="municipality")
                | models.Q(municipality__isnull=False),
                name="signal_municipality_given",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="signal_not_merged_into_itself",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    def compute_search_tokens(self) -> list[str]:
        return crypto.search_tokens(self.description)

    def compute_contact_name_key(self) -> str:
        return identifiers.name_key(self.contact_name)

    def compute_contact_phone_key(self) -> str:
        return identifiers.phone_key(self.contact_phone)

    def compute_contact_email_key(self) -> str:
        return identifiers.email_key(self.contact_email)


class Attachment(models.Model):
    """A file that came with a signal (photo or document), kept in private storage.

    Images are re-encoded on upload, which strips EXIF and other metadata (intake.uploads).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="attachments/%Y/%m/", max_length=200)
    # Encrypted too: a file name often names a person ("passport_ana.jpg").
    original_name = EncryptedCharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Sent later by the reporter on the follow-up page, with this message (empty: with the report).
    message = models.ForeignKey(
        "signals.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
