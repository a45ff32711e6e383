"""Signals (signalen): reports of possible human trafficking, and their history."""

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import EmailValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from privacy import crypto
from privacy.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedJSONField,
    EncryptedTextField,
    SearchTokensField,
)

from . import identifiers
from .storage import private_storage

DESCRIPTION_MAX_LENGTH = 10_000


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


class Signal(models.Model):
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

    class VictimConsent(models.TextChoices):
        AGREES = "agrees", _("Knows of the report and agrees")
        DISAGREES = "disagrees", _("Knows of the report and does not agree")
        NOT_INFORMED = "not_informed", _("Does not know of the report")
        UNKNOWN = "unknown", _("Unknown")

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
    # The words of the description as blind indexes (privacy.crypto.search_tokens): the queue's
    # search, since the description itself is encrypted.
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
    # Professional intake (signals.pro_views): who wrote it, their reference, the victim's say.
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
    # Bedenktijd: the reflection period offered to a possible victim, from this day.
    reflection_period_start = models.DateField(_("reflection period from"), null=True, blank=True)
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

    # Public intake (signals.public_views): the reporter's further answers and optional contact.
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


class SignalEvent(models.Model):
    """One entry in a signal's history, written in the same transaction as the change."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        TRIAGED = "triaged", _("Triaged")
        REROUTED = "rerouted", _("Re-routed to another region")
        OVERDUE = "overdue", _("Deadline passed")
        TRIAGE_FAILED = "triage_failed", _("Triage failed")
        # A shelter placement was requested, accepted or declined (opvang).
        PLACEMENT = "placement", _("Shelter placement")
        STATUS_CHANGED = "status_changed", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        SHARED = "shared", _("Shared with an organisation")
        REFLECTION_PERIOD = "reflection_period", _("Reflection period offered")
        # A data-subject request (privacy app) erased a person's data; the detail holds none.
        PERSONAL_DATA_ERASED = "personal_data_erased", _("Personal data erased on request")
        MERGED = "merged", _("Merged (duplicate)")
        SPLIT = "split", _("Split (no longer a duplicate)")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = EncryptedJSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("signal event")
        verbose_name_plural = _("signal events")
        ordering = ["created_at", "pk"]
        constraints = [
            # Triage is recorded once per signal however often its task is delivered.
            models.UniqueConstraint(
                fields=["signal"], condition=models.Q(kind="triaged"), name="one_triage_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.kind}"


# Professional intake: what a signal is about, in structured form. Each identifier is stored as
# typed and normalised (signals.identifiers), encrypted, and beside it a blind index of its
# normalised form (the `*_key` fields, computed on every save), so that connections between
# signals can be found without keeping the identifier readable.
NAME_MAX_LENGTH = 200


class DutchAddress(models.Model):
    street = EncryptedCharField(_("street"), max_length=200, blank=True)
    house_number = EncryptedCharField(_("house number"), max_length=16, blank=True)
    postcode = EncryptedCharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("place"), max_length=120, blank=True)
    # Postcode and house number ("1234AB 12A") as a blind index; empty when either is unknown.
    address_key = BlindIndexField(derive="compute_address_key")

    class Meta:
        abstract = True

    def compute_address_key(self) -> str:
        return identifiers.address_hash(self.postcode, self.house_number)


class Person(DutchAddress):
    """Someone a signal is about: a possible victim, a suspect, or someone else involved."""

    class Role(models.TextChoices):
        POSSIBLE_VICTIM = "possible_victim", _("Possible victim")
        SUSPECT = "suspect", _("Suspect")
        OTHER = "other", _("Other")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Unknown")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    name = EncryptedCharField(_("name or alias"), max_length=NAME_MAX_LENGTH, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN
    )
    nationality = models.CharField(_("nationality"), max_length=100, blank=True)
    language = models.CharField(_("language spoken"), max_length=100, blank=True)
    email = EncryptedCharField(_("e-mail"), max_length=254, blank=True)
    email_key = BlindIndexField(derive="compute_email_key")
    name_key = BlindIndexField(derive="compute_name_key")
    # Name and date of birth together (a connection of kind "person"); empty unless both known.
    identity_key = BlindIndexField(derive="compute_identity_key")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["signal", "order", "pk"]

    def __str__(self) -> str:
        return self.name or self.get_role_display()

    def compute_email_key(self) -> str:
        return identifiers.email_key(self.email)

    def compute_name_key(self) -> str:
        return identifiers.name_key(self.name)

    def compute_identity_key(self) -> str:
        return identifiers.identity_key(self.name, self.date_of_birth)


class PhoneNumber(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phone_numbers")
    raw = EncryptedCharField(_("phone number as given"), max_length=40)
    number = EncryptedCharField(_("phone number (E.164)"), max_length=16)
    number_key = BlindIndexField(derive="compute_number_key")

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.number

    def compute_number_key(self) -> str:
        return identifiers.phone_key(self.number)


class Location(DutchAddress):
    """A place the signal is about. The first one in a municipality decides the region."""

    class Kind(models.TextChoices):
        HOME = "home", _("Home")
        WORKPLACE = "workplace", _("Workplace")
        HOTEL = "hotel", _("Hotel")
        ONLINE = "online", _("Online")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="locations")
    kind = models.CharField(_("kind of place"), max_length=16, choices=Kind.choices)
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    description = EncryptedCharField(_("description"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["signal", "order", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Vehicle(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="vehicles")
    plate_raw = EncryptedCharField(_("licence plate as given"), max_length=20)
    plate = EncryptedCharField(_("licence plate"), max_length=12)
    plate_key = BlindIndexField(derive="compute_plate_key")
    country = models.CharField(_("country of registration"), max_length=2, default="NL")
    description = models.CharField(_("make, model, colour"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.plate

    def compute_plate_key(self) -> str:
        return identifiers.plate_key(self.plate)


class Website(models.Model):
    """A website or online advertisement."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="websites")
    url = EncryptedCharField(_("web address"), max_length=2000)
    domain = EncryptedCharField(_("domain"), max_length=253)
    domain_key = BlindIndexField(derive="compute_domain_key")

    class Meta:
        verbose_name = _("website or advertisement")
        verbose_name_plural = _("websites and advertisements")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.domain

    def compute_domain_key(self) -> str:
        return identifiers.domain_key(self.domain)


class BankAccount(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="bank_accounts")
    iban_raw = EncryptedCharField(_("IBAN as given"), max_length=50)
    iban = EncryptedCharField(_("IBAN"), max_length=34)
    holder = EncryptedCharField(_("account holder"), max_length=NAME_MAX_LENGTH, blank=True)
    iban_key = BlindIndexField(derive="compute_iban_key")

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.iban

    def compute_iban_key(self) -> str:
        return identifiers.iban_key(self.iban)


class Addition(models.Model):
    """Information the submitting organisation added after submitting (aanvulling).

    Seen by the submitting organisation and the region's coordinators, never by other
    organisations the signal is shared with.
    """

    TEXT_MAX_LENGTH = 5_000

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="additions")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("information"), max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("addition")
        verbose_name_plural = _("additions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.created_at:%Y-%m-%d}"


class Attachment(models.Model):
    """A file that came with a signal (photo or document), kept in private storage.

    Images are re-encoded on upload, which strips EXIF and other metadata (signals.uploads).
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

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Message(models.Model):
    """A message between the (anonymous) reporter and the coordinator about a public signal."""

    BODY_MAX_LENGTH = 5_000

    class Author(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        COORDINATOR = "coordinator", _("Coordinator")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(_("from"), max_length=16, choices=Author.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = EncryptedTextField(_("message"), max_length=BODY_MAX_LENGTH)
    # The language the message is written in, shown to the reader when it is not theirs.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.author_kind} {self.created_at:%Y-%m-%d}"
