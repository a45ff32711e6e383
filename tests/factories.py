"""factory-boy factories for the domain models. Extend here rather than in test files.

Each factory makes a valid, realistic row with as little as possible: a test names only the
fields its assertions depend on. Identifiers come in the shapes the intake stores them (typed and
normalised side by side); they are made up, and differ per row so that no two rows are connected
unless a test says so.
"""

import hashlib
import uuid
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from access.models import Share
from accounts.models import User
from content.models import ContentPage, HelpContact
from coordination.models import Connection, Note
from opvang.models import Offer, PlacementRequest
from organisations.models import Membership, Organisation
from organisations.services import sync_membership_groups
from regions.models import Municipality, Region
from signals import identifiers
from signals.models import (
    Addition,
    Attachment,
    BankAccount,
    ExploitationForm,
    Indicator,
    IndicatorCategory,
    Message,
    Person,
    PhoneNumber,
    Question,
    Signal,
    SignalEvent,
    Vehicle,
    Website,
)

# Accounts and organisations


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    class Params:
        # The functional admin of the Django admin (beheer), as `createsuperuser` makes one.
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    email = factory.Sequence(lambda n: f"medewerker{n}@example.nl")
    password = factory.django.Password("a-long-test-password")


class RegionFactory(factory.django.DjangoModelFactory):
    """A coordinator region. Tests with the `reference_data` fixture look up the real ones
    (AMS Politieregio Amsterdam, ...) instead; without it, they make the few they need."""

    class Meta:
        model = Region

    # Made-up codes stay clear of the real areas (regions/data/areas.csv) and of the
    # veiligheidsregio codes VR01 to VR25 that the areas replaced.
    code = factory.Sequence(lambda n: f"VR{50 + n}")
    name = factory.Sequence(lambda n: f"Regio {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    # Real CBS codes end below GM2000: made-up ones stay clear of them.
    code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    region = factory.SubFactory(RegionFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation; `regions=[...]` are the regions it serves (coordinators' only)."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Politie-eenheid {n}")
    kind = Organisation.Kind.POLICE
    regions = ()

    @classmethod
    def _create(cls, model_class, *args, regions=(), **kwargs):
        organisation = super()._create(model_class, *args, **kwargs)
        organisation.regions.add(*regions)
        return organisation


class CoordinationFactory(OrganisationFactory):
    """A care coordinator organisation (zorgcoördinatie); `region=...` is the one it serves and
    names it, as in "Zorgcoördinatie AMS"."""

    class Params:
        region = None

    name = factory.LazyAttributeSequence(
        lambda o, n: f"Zorgcoördinatie {o.region.code}" if o.region else f"Zorgcoördinatie {n}"
    )
    kind = Organisation.Kind.COORDINATOR
    regions = factory.LazyAttribute(lambda o: [o.region] if o.region else [])


class ShelterFactory(OrganisationFactory):
    """A shelter or care provider (opvang)."""

    name = factory.Sequence(lambda n: f"Opvang {n}")
    kind = Organisation.Kind.SHELTER


class MembershipFactory(factory.django.DjangoModelFactory):
    """A member with roles, in the organisation's groups for them (as `add_member` leaves it)."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    roles = factory.LazyFunction(lambda: [Membership.Role.PROFESSIONAL])

    @factory.post_generation
    def groups(membership, create, extracted, **kwargs):
        if create:
            sync_membership_groups(membership)


# Taxonomy


class ExploitationFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExploitationForm

    code = factory.Sequence(lambda n: f"form-{n}")
    name = factory.Sequence(lambda n: f"Uitbuitingsvorm {n}")


class IndicatorCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorCategory

    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Categorie {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    """An indicator; `forms=[...]` are the exploitation forms it points to."""

    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"indicator-{n}")
    category = factory.SubFactory(IndicatorCategoryFactory)
    name = factory.Sequence(lambda n: f"Signaal {n}")

    @factory.post_generation
    def forms(indicator, create, forms, **kwargs):
        if create and forms:
            indicator.forms.set(forms)


# A signal and what it is about


class SignalFactory(factory.django.DjangoModelFactory):
    """A stored signal, without going through `receive_signal` (no triage is queued)."""

    class Meta:
        model = Signal

    source = Signal.Source.PUBLIC
    language = "nl"
    description = factory.Faker("paragraph", locale="nl_NL")
    location_kind = Signal.LocationKind.UNKNOWN


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    signal = factory.SubFactory(SignalFactory)
    role = Person.Role.POSSIBLE_VICTIM
    name = factory.Faker("name", locale="nl_NL")


class PhoneNumberFactory(factory.django.DjangoModelFactory):
    """A Dutch mobile number, as typed ("06-…") and in E.164 ("+316…")."""

    class Meta:
        model = PhoneNumber

    person = factory.SubFactory(PersonFactory)
    number = factory.Sequence(lambda n: f"+316{10000000 + n}")
    raw = factory.LazyAttribute(lambda o: f"0{o.number[3:4]}-{o.number[4:]}")


class VehicleFactory(factory.django.DjangoModelFactory):
    """A Dutch licence plate, as typed ("12-ABC-3") and normalised ("12ABC3")."""

    class Meta:
        model = Vehicle

    signal = factory.SubFactory(SignalFactory)
    plate_raw = factory.Sequence(lambda n: f"{n % 100:02d}-ABC-3")
    plate = factory.LazyAttribute(lambda o: o.plate_raw.replace("-", ""))


class WebsiteFactory(factory.django.DjangoModelFactory):
    """A web address and its domain, as the intake stores them."""

    class Meta:
        model = Website

    signal = factory.SubFactory(SignalFactory)
    url = factory.Sequence(lambda n: f"https://www.site{n}.example.nl/advertentie/{n}")
    domain = factory.LazyAttribute(lambda o: identifiers.website_domain(o.url))


class BankAccountFactory(factory.django.DjangoModelFactory):
    """An IBAN, as typed (with spaces) and normalised."""

    class Meta:
        model = BankAccount

    signal = factory.SubFactory(SignalFactory)
    iban_raw = "NL91 ABNA 0417 1643 00"
    iban = factory.LazyAttribute(lambda o: identifiers.normalise_iban(o.iban_raw))


class AttachmentFactory(factory.django.DjangoModelFactory):
    """An uploaded file, stored (encrypted) under a random name as the intake stores it;
    `content` is what was uploaded."""

    class Meta:
        model = Attachment

    class Params:
        content = b"jpeg bytes"

    signal = factory.SubFactory(SignalFactory)
    original_name = "foto.jpg"
    content_type = "image/jpeg"
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name=uuid.uuid4().hex))


class SignalEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignalEvent

    signal = factory.SubFactory(SignalFactory)
    kind = SignalEvent.Kind.RECEIVED


# What is written about a signal after it was received


class MessageFactory(factory.django.DjangoModelFactory):
    """A message from the anonymous reporter, in Dutch."""

    class Meta:
        model = Message

    signal = factory.SubFactory(SignalFactory)
    author_kind = Message.Author.REPORTER
    body = factory.Faker("sentence", locale="nl_NL")
    language = "nl"


class QuestionFactory(factory.django.DjangoModelFactory):
    """A coordinator's question to the submitting organisation, not yet answered."""

    class Meta:
        model = Question

    signal = factory.SubFactory(SignalFactory)
    asked_by = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence", locale="nl_NL")


class AdditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Addition

    signal = factory.SubFactory(SignalFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence", locale="nl_NL")


class NoteFactory(factory.django.DjangoModelFactory):
    """An internal note of an organisation on a signal."""

    class Meta:
        model = Note

    signal = factory.SubFactory(SignalFactory)
    organisation = factory.SubFactory(CoordinationFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Faker("sentence", locale="nl_NL")


class ShareFactory(factory.django.DjangoModelFactory):
    """A signal shared with an organisation for a month, on the ground of a public task."""

    class Meta:
        model = Share

    signal = factory.SubFactory(SignalFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.POLICE)
    shared_by = factory.SubFactory(UserFactory)
    legal_basis = Share.LegalBasis.PUBLIC_TASK
    purpose = "Onderzoek"
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class ConnectionFactory(factory.django.DjangoModelFactory):
    """One direction of a connection; `connect` stores both, as linking does."""

    class Meta:
        model = Connection

    signal = factory.SubFactory(SignalFactory)
    other = factory.SubFactory(SignalFactory)
    kind = Connection.Kind.PHONE
    value = factory.Sequence(lambda n: f"+316{20000000 + n}")


def connect(signal: Signal, other: Signal, *, kind: str, value: str) -> None:
    """Connect two signals on a shared identifier, in both directions."""
    ConnectionFactory(signal=signal, other=other, kind=kind, value=value)
    ConnectionFactory(signal=other, other=signal, kind=kind, value=value)


# Opvang


class OfferFactory(factory.django.DjangoModelFactory):
    """A shelter's offer for women in a municipality's region, with one of four places free;
    `forms=[...]` are the exploitation forms it takes."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    provider = factory.SubFactory(ShelterFactory)
    name = factory.Sequence(lambda n: f"Opvanghuis {n}")
    kind = Offer.Kind.COSM
    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.SelfAttribute("municipality.region")
    genders = factory.LazyFunction(lambda: [Offer.Gender.FEMALE])
    address = factory.Sequence(lambda n: f"Geheimstraat {n + 1}")
    total_places = 4
    free_places = 1

    @factory.post_generation
    def forms(offer, create, forms, **kwargs):
        if create and forms:
            offer.forms.set(forms)


class PlacementRequestFactory(factory.django.DjangoModelFactory):
    """A coordinator's request for a place, not yet answered."""

    class Meta:
        model = PlacementRequest

    signal = factory.SubFactory(SignalFactory)
    offer = factory.SubFactory(OfferFactory)
    requested_by = factory.SubFactory(UserFactory)
    requesting_organisation = factory.SubFactory(CoordinationFactory)


# Public content


class ContentPageFactory(factory.django.DjangoModelFactory):
    """A published information page, in Dutch."""

    class Meta:
        model = ContentPage

    slug = factory.Sequence(lambda n: f"pagina-{n}")
    title_nl = factory.Sequence(lambda n: f"Pagina {n}")
    body_nl = factory.Faker("paragraph", locale="nl_NL")
    is_published = True


class HelpContactFactory(factory.django.DjangoModelFactory):
    """A national help contact unless a `region` is given."""

    class Meta:
        model = HelpContact

    name_nl = factory.Sequence(lambda n: f"Hulplijn {n}")
