"""Registering a (possible) victim with CoMensha (aanmelden bij CoMensha) from the case.

The coordinator who handles the case registers, on a recorded legal basis; the registration
holds only what CoMensha counts (see `coordination.models.Registration`), and the case's history
says that it was registered.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meldpunt.core import crypto
from regions.models import Region
from signals.models import ExploitationForm, Person, Signal, SignalEvent

from .models import Registration
from .selectors import acting_organisation

# The key purpose of the pseudonym: a blind index of its own, so that the pseudonym CoMensha
# reads cannot be matched with the blind indexes the portal links signals by.
PSEUDONYM_PURPOSE = "comensha-registration"


def pseudonym_for(person: Person | None) -> str:
    """The same for the same person (name and date of birth) in any signal; random when the
    person is not known that well, so that nothing is matched on a guess."""
    if person is not None and person.identity_key:
        return crypto.blind_index(PSEUDONYM_PURPOSE, person.identity_key)[:20].upper()
    return secrets.token_hex(10).upper()


def register_victim(
    signal: Signal,
    *,
    by: User,
    person: Person | None,
    form: ExploitationForm,
    sector: str,
    nationality: str,
    age_group: str,
    gender: str,
    reporter_kind: str,
    region: Region,
    reported_on: date,
    legal_basis: str,
) -> Registration:
    """Register the signal's (possible) victim with CoMensha, for the organisation the
    coordinator acts for. A person is registered once per signal."""
    organisation = acting_organisation(by, signal)
    if organisation is None:
        raise ValidationError(_("You do not handle this signal."), code="not_handling")
    if reported_on > timezone.localdate():
        raise ValidationError(
            {"reported_on": ValidationError(_("The date must not be in the future."), "future")}
        )
    if person is not None and person.signal_id != signal.pk:
        raise ValidationError(_("This person is not in this signal."), code="other_signal")
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                pseudonym=pseudonym_for(person),
                signal=signal,
                person=person,
                form=form,
                sector=sector,
                nationality=nationality,
                age_group=age_group,
                gender=gender,
                reporter_kind=reporter_kind,
                region=region,
                reported_on=reported_on,
                legal_basis=legal_basis,
                registered_by=by,
                organisation=organisation,
            )
            SignalEvent.objects.create(
                signal=signal,
                kind=SignalEvent.Kind.REGISTERED,
                actor=by,
                detail={
                    "registration": str(registration.public_id),
                    "legal_basis": legal_basis,
                    "organisation": organisation.name,
                },
            )
    except IntegrityError:
        raise ValidationError(
            _("This person was registered with CoMensha from this signal already."),
            code="registered_before",
        ) from None
    return registration
