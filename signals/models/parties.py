"""Who and what a signal is about: persons and their phone numbers, companies, places, vehicles,
websites and bank accounts.

Each identifier is stored as typed and normalised (`signals.identifiers`), encrypted, and beside it
a blind index of its normalised form (the `*_key` fields, computed on every save), so that
connections between signals can be found without keeping the identifier readable.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.core.fields import BlindIndexField, EncryptedCharField

from .. import identifiers
from ..sbi import SbiSection
from .contact import ContactWishes
from .signal import Signal

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


class Person(DutchAddress, ContactWishes):
    """Someone a signal is about: a possible victim, a suspect, someone with a part in the
    exploitation (client, recruiter, facilitator, employer, landlord), or someone else."""

    class Role(models.TextChoices):
        POSSIBLE_VICTIM = "possible_victim", _("Possible victim")
        SUSPECT = "suspect", _("Suspect")
        CLIENT = "client", _("Client (buys the exploited work or services)")
        RECRUITER = "recruiter", _("Recruiter")
        FACILITATOR = "facilitator", _("Facilitator (transport, papers, housing, money)")
        EMPLOYER = "employer", _("Employer")
        LANDLORD = "landlord", _("Landlord")
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
    # The name in Latin letters, and as it sounds, each with the year of birth: a possible
    # connection for a coordinator to confirm or dismiss (signals.identifiers).
    transliterated_key = BlindIndexField(derive="compute_transliterated_key")
    phonetic_key = BlindIndexField(derive="compute_phonetic_key")
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

    def compute_transliterated_key(self) -> str:
        return identifiers.transliterated_key(self.name, self.date_of_birth)

    def compute_phonetic_key(self) -> str:
        return identifiers.phonetic_key(self.name, self.date_of_birth)


class Company(DutchAddress):
    """A company a signal names: an employer, an agency, a place of work or of business.

    Its KvK number links signals like any other identifier (`kvk_key`), and its address like a
    person's or a place's (`address_key`). A company's name can be a person's (a sole trader's
    business often is), so it is encrypted like every name.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="companies")
    name = EncryptedCharField(_("company name"), max_length=NAME_MAX_LENGTH, blank=True)
    kvk_number = EncryptedCharField(_("KvK number"), max_length=8, blank=True)
    kvk_key = BlindIndexField(derive="compute_kvk_key")
    sector = models.CharField(
        _("sector (SBI)"), max_length=1, choices=SbiSection.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["signal", "order", "pk"]

    def __str__(self) -> str:
        return self.name or self.kvk_number

    def compute_kvk_key(self) -> str:
        return identifiers.kvk_key(self.kvk_number)


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
    # Free text ("the blue van of ...") can name people: encrypted like every other free text.
    description = EncryptedCharField(_("make, model, colour"), max_length=200, blank=True)

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
