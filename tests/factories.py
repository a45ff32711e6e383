"""factory-boy factories for the domain models. Extend here rather than in test files."""

import factory

from accounts.models import User
from organisations.models import Membership, Organisation
from signals.models import Signal


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"user{n}@example.nl")
    password = factory.django.Password("a-long-test-password")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.POLICE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    roles = [Membership.Role.PROFESSIONAL]


class SignalFactory(factory.django.DjangoModelFactory):
    """A stored signal, without going through `receive_signal` (no triage is queued)."""

    class Meta:
        model = Signal

    source = Signal.Source.PUBLIC
    language = "nl"
    description = factory.Faker("paragraph", locale="nl_NL")
    location_kind = Signal.LocationKind.UNKNOWN
