"""Demo cases for `make run` (after `seed_demo`): two signals in Amsterdam naming the same
company, so a newcomer sees a connection by KvK number, and on the first the procedures a
coordinator tracks: a reflection period that ends within 14 days (the queue's filter and the
reminder find it) and a B8/3 residence application. Development only, like the demo accounts;
running it again changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from organisations.demo import DEMO_DOMAIN
from organisations.models import Organisation
from regions.models import Municipality
from signals.models import Company, Location, Person, ReflectionPeriod, Signal
from signals.models.procedures import reflection_period_end
from triage.services import triage_signal

from .procedure_services import record_reflection_period, record_residence_application
from .selectors import short_reference
from .services import link_signal

DEMO_REFERENCES = ("DEMO-KAS-1", "DEMO-KAS-2")
AMSTERDAM = "GM0363"
COMPANY = {
    "name": "Kwekerij De Glazen Kas BV (demo)",
    "kvk_number": "99999901",
    "sector": "A",
    "street": "Kasweg",
    "house_number": "1",
    "postcode": "1011AA",
    "city": "Amsterdam",
}


def _signal(reference: str, description: str, organisation: Organisation) -> Signal:
    signal = Signal.objects.filter(own_reference=reference, submitted_by=organisation).first()
    if signal is not None:
        return signal
    town = Municipality.objects.get(code=AMSTERDAM)
    signal = Signal.objects.create(
        source=Signal.Source.PROFESSIONAL,
        language="nl",
        own_reference=reference,
        submitted_by=organisation,
        description=description,
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=town,
    )
    Location.objects.create(signal=signal, kind=Location.Kind.WORKPLACE, municipality=town)
    Company.objects.create(signal=signal, **COMPANY)
    Person.objects.create(signal=signal, role=Person.Role.EMPLOYER, name="Demo Werkgever")
    triage_signal(signal.pk)
    return signal


@transaction.atomic
def seed_demo_cases() -> list[str]:
    """Create the demo cases once; returns what a newcomer should look at, line by line."""
    if not settings.DEMO_ACCOUNTS:
        raise ImproperlyConfigured("Demo cases are for development only (DEMO_ACCOUNTS).")
    police = Organisation.objects.get(name="Politie Eenheid Amsterdam, AVIM (demo)")
    first = _signal(
        DEMO_REFERENCES[0],
        "Demo: zes arbeiders slapen in de kas; de baas houdt hun paspoorten.",
        police,
    )
    second = _signal(
        DEMO_REFERENCES[1],
        "Demo: een arbeider van dezelfde kwekerij meldt zich met schulden aan de baas.",
        police,
    )
    for signal in (first, second):
        link_signal(signal.pk)
    first.refresh_from_db()
    user = User.objects.filter(
        memberships__organisation__regions=first.region,
        memberships__organisation__kind=Organisation.Kind.COORDINATOR,
    ).first()
    if not ReflectionPeriod.objects.filter(signal=first).exists() and user is not None:
        today = timezone.localdate()
        start = today - timedelta(days=80)
        # Ten days or so before its end, whatever the months' lengths.
        while reflection_period_end(start) > today + timedelta(days=10):
            start -= timedelta(days=1)
        record_reflection_period(first, by=user, offered_by="police", starts_on=start)
        record_residence_application(first, by=user, applied_on=start + timedelta(days=30))
    return [
        f"Demo cases in {first.region.name}, for its coordinator: {short_reference(first)} "
        f"(bedenktijd ends within 14 days, B8/3 application; queue filter 'Reflection period "
        f"ends within 14 days') and {short_reference(second)}, connected to it by the KvK "
        f"number of {COMPANY['name']}. Submitted by politie@{DEMO_DOMAIN}.",
    ]
