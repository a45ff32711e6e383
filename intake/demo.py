"""Demo signals for `make run`: last year's signals in two areas, with forms of exploitation and
indicators ticked, so that the monitor and an area's own figures show something. Development
only (`DEMO_ACCOUNTS`), like the demo logins."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from regions.models import Municipality
from signals.models import ExploitationForm, Indicator, Signal

from .services import receive_signal

# Municipalities whose areas have the demo's coordinators and municipality (Utrecht).
DEMO_MUNICIPALITIES = ("Utrecht", "Amsterdam")
PER_MONTH = 6
# (description, forms, indicators, a minor involved): fictional situations, for the demo only.
SITUATIONS = [
    (
        "Demo: arbeiders in een kas slapen op het werk; de baas houdt hun paspoorten.",
        ["labour"],
        ["no-id-papers", "lives-at-work", "low-pay", "excessive-hours"],
        False,
    ),
    (
        "Demo: een meisje van 15 spijbelt, loopt weg en heeft een veel oudere vriend.",
        ["sexual"],
        ["older-boyfriend", "runs-away", "truancy", "sudden-money"],
        True,
    ),
    (
        "Demo: een jongen moet drugs vervoeren om een schuld af te betalen.",
        ["criminal"],
        ["minor-crime", "debt", "fear"],
        True,
    ),
    (
        "Demo: een vrouw wordt aangeboden in advertenties die iemand anders beheert.",
        ["online", "sexual"],
        ["online-ads", "spoken-for", "no-control-earnings"],
        False,
    ),
]
NAMESPACE = uuid.UUID("5f0c3a51-6a7e-4c2b-9d0e-2f4a0b1c9d71")


def seed_demo_signals(*, year: int | None = None) -> int:
    """Create the demo signals that are missing (a run again adds none); returns how many were
    created. Triage routes them to their area as for any signal."""
    if not settings.DEMO_ACCOUNTS:
        raise ImproperlyConfigured("Demo signals are for development only (DEMO_ACCOUNTS).")
    year = year or timezone.localdate().year - 1
    forms = {form.code: form for form in ExploitationForm.objects.all()}
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    created = 0
    for name in DEMO_MUNICIPALITIES:
        municipality = Municipality.objects.filter(name=name).first()
        if municipality is None:
            continue
        for month in range(1, 13):
            for number in range(PER_MONTH):
                key = uuid.uuid5(NAMESPACE, f"{name}-{year}-{month}-{number}")
                if Signal.objects.filter(submission_key=key).exists():
                    continue
                description, form_codes, codes, minor = SITUATIONS[number % len(SITUATIONS)]

                def tick(signal, form_codes=form_codes, codes=codes):
                    signal.forms.set([forms[code] for code in form_codes if code in forms])
                    signal.indicators.set([indicators[c] for c in codes if c in indicators])

                signal = receive_signal(
                    source=Signal.Source.PUBLIC,
                    language="nl",
                    description=description,
                    location_kind=Signal.LocationKind.MUNICIPALITY,
                    municipality=municipality,
                    involves_minor=minor,
                    submission_key=key,
                    with_signal=tick,
                )
                moment = timezone.make_aware(datetime(year, month, 1 + 4 * number, 10))
                Signal.objects.filter(pk=signal.pk).update(created_at=moment)
                created += 1
    return created
