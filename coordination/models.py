import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from access.models import Share
from meldpunt.core.fields import EncryptedCharField, EncryptedTextField
from organisations.models import Organisation
from signals.models import DESCRIPTION_MAX_LENGTH, Person

NOTE_MAX_LENGTH = DESCRIPTION_MAX_LENGTH


class Note(models.Model):
    """An internal note on a signal, visible only to members of the organisation that wrote it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="notes")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("note"), max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["signal", "organisation"])]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.created_at:%Y-%m-%d}"


class Connection(models.Model):
    """Two signals share an identifier (verband): a phone number, a plate, an IBAN, ...

    Stored in both directions, so a signal's connections are one indexed lookup. `value` is the
    shared identifier's blind index (the `*_key` field it was matched on), never the identifier.
    """

    class Kind(models.TextChoices):
        PHONE = "phone", _("phone number")
        EMAIL = "email", _("e-mail address")
        PLATE = "plate", _("licence plate")
        IBAN = "iban", _("bank account")
        WEBSITE = "website", _("website")
        ADDRESS = "address", _("address")
        PERSON = "person", _("person (name and date of birth)")
        KVK = "kvk", _("KvK number")
        # A possible connection a coordinator confirmed; `value` is the name key it was found on.
        CONFIRMED = "confirmed", _("person (confirmed by a coordinator)")

    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.CASCADE, related_name="connections"
    )
    other = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "other", "kind", "value"], name="one_connection_per_identifier"
            ),
            models.CheckConstraint(
                condition=~models.Q(signal=models.F("other")), name="connection_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} ~ {self.other_id} ({self.kind})"


class PossibleConnection(models.Model):
    """Two signals may name the same person: the name in another script, or spelled as it sounds
    ("Edito", "Edoto"), with the same year of birth (signals.identifiers). Not proof, so never
    acted on by itself: a coordinator confirms it (then it is a `Connection` of kind
    "confirmed") or dismisses it, and a decided pair is not proposed again.

    Stored in both directions like `Connection`; a decision applies to both. `value` is the
    name key it was found on, never the name.
    """

    class Kind(models.TextChoices):
        TRANSLITERATED = "transliterated", _("name in another script, same year of birth")
        PHONETIC = "phonetic", _("name that sounds alike, same year of birth")

    class Status(models.TextChoices):
        OPEN = "open", _("to review")
        CONFIRMED = "confirmed", _("confirmed")
        DISMISSED = "dismissed", _("dismissed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.CASCADE, related_name="possible_connections"
    )
    other = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("possible connection")
        verbose_name_plural = _("possible connections")
        constraints = [
            # One per pair and kind: a new key for the same pair (a new BLIND_INDEX_KEY) does not
            # bring a dismissed pair back.
            models.UniqueConstraint(
                fields=["signal", "other", "kind"], name="one_possible_connection_per_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(signal=models.F("other")),
                name="possible_connection_not_to_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} ?~ {self.other_id} ({self.kind}, {self.status})"


class Registration(models.Model):
    """A (possible) victim registered with CoMensha (aanmelding bij CoMensha) for the national
    figures, by the coordinator handling the case, on a recorded legal basis.

    Pseudonymised by design: the facts CoMensha counts, as codes, and no name, contact detail or
    free text. The pseudonym is the same for the same person (name and date of birth) whichever
    signal they were registered from, so CoMensha counts people, not registrations; without the
    portal's key it reveals nothing. What CoMensha's organisation reads (pages, CSV, API) is
    `coordination.selectors.registration_rows`, never the row with its links to the case.

    The categories follow what CoMensha publishes about its registration: form of exploitation,
    sector, country of origin, age, gender, who reported and from which region (comensha.nl,
    "Registratie"; publicaties.comensha.nl, "Het beeld van 2024", Verdieping III: Aanmelders),
    and the sectors the National Rapporteur names for exploitation outside the sex industry
    (nationaalrapporteur.nl, "Arbeidsuitbuiting").
    """

    class Sector(models.TextChoices):
        SEX_INDUSTRY = "sex_industry", _("Sex industry (prostitution, escort, online)")
        AGRICULTURE = "agriculture", _("Agriculture and horticulture")
        CONSTRUCTION = "construction", _("Construction")
        HOSPITALITY = "hospitality", _("Hospitality (hotels, restaurants, cafés)")
        CLEANING = "cleaning", _("Cleaning")
        DOMESTIC_WORK = "domestic_work", _("Domestic work, au pairs included")
        TRANSPORT = "transport", _("Transport and logistics")
        MANUFACTURING = "manufacturing", _("Manufacturing and food processing")
        PERSONAL_SERVICES = (
            "personal_services",
            _("Shops and personal services (nail or massage salons, ...)"),
        )
        CRIMINAL_ACTIVITIES = "criminal_activities", _("Criminal activities (drugs, theft, fraud)")
        BEGGING = "begging", _("Begging")
        OTHER = "other", _("Other sector")
        UNKNOWN = "unknown", _("Unknown")

    class AgeGroup(models.TextChoices):
        UNDER_12 = "0-11", _("Under 12")
        FROM_12 = "12-15", _("12 to 15")
        FROM_16 = "16-17", _("16 or 17")
        FROM_18 = "18-22", _("18 to 22")
        FROM_23 = "23-29", _("23 to 29")
        FROM_30 = "30-39", _("30 to 39")
        FROM_40 = "40-49", _("40 to 49")
        FROM_50 = "50+", _("50 or older")
        UNKNOWN = "unknown", _("Unknown")

    # Who reported the victim: an organisation of a kind, a citizen on the public form, or the
    # person themself (as CoMensha counts "cliënten zelf").
    REPORTER_KINDS = [
        *Organisation.Kind.choices,
        ("citizen", _("A citizen (public form)")),
        ("self", _("The person themself")),
    ]

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pseudonym = models.CharField(_("pseudonym"), max_length=32, db_index=True, editable=False)
    # Kept when the case goes: the figures stay.
    signal = models.ForeignKey(
        "signals.Signal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("the (possible) victim"),
    )
    form = models.ForeignKey(
        "signals.ExploitationForm",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("form of exploitation"),
    )
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices)
    nationality = CountryField(_("nationality"), blank=True)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices)
    gender = models.CharField(_("gender"), max_length=8, choices=Person.Gender.choices)
    reporter_kind = models.CharField(_("reported by"), max_length=32, choices=REPORTER_KINDS)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    reported_on = models.DateField(_("date reported"))
    legal_basis = models.CharField(
        _("legal basis"), max_length=32, choices=Share.LegalBasis.choices
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by organisation"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration with CoMensha")
        verbose_name_plural = _("registrations with CoMensha")
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "person"],
                condition=models.Q(person__isnull=False),
                name="one_registration_per_person_and_signal",
            )
        ]
        indexes = [models.Index(fields=["reported_on"])]

    def __str__(self) -> str:
        return self.pseudonym


class CaseConference(models.Model):
    """A case conference (signaaltafel) about a case: criminal justice and care bundle what they
    know, on a recorded legal basis, and agree who does what by when.

    Only its participating organisations see it (`access.roles.conference_organisations`), and
    every read is written to the access log. The decisions and actions are people's words, so
    encrypted, and they belong to the case's signal, so retention and erasure find them.
    """

    DECISIONS_MAX_LENGTH = 5_000

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.CASCADE, related_name="case_conferences"
    )
    held_on = models.DateField(_("held on"))
    participants = models.ManyToManyField(
        Organisation, related_name="case_conferences", verbose_name=_("participating organisations")
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=32, choices=Share.LegalBasis.choices
    )
    decisions = EncryptedTextField(_("decisions"), max_length=DECISIONS_MAX_LENGTH)
    convened_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("convened by")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.held_on}"


class ConferenceAction(models.Model):
    """An action agreed at a case conference: what, which participating organisation owns it,
    and by when; done when its owner says so."""

    DESCRIPTION_MAX_LENGTH = 500

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE, related_name="actions")
    description = EncryptedCharField(_("action"), max_length=DESCRIPTION_MAX_LENGTH)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case conference action")
        verbose_name_plural = _("case conference actions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.conference_id} {self.due_on}"
