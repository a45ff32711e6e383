"""Reads about registrations with CoMensha: what the coordinator starts the form with, what
CoMensha's organisation reads (pseudonymised rows), and the figures the monitor shows.

Who may read them is decided in `access.roles.may_read_registrations`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.utils import timezone
from django_countries import countries

from signals.models import Person, Signal

from .models import Registration

AgeGroup = Registration.AgeGroup


def age_group(age: int | None) -> str:
    """CoMensha's age group for an age in years."""
    if age is None or age < 0:
        return AgeGroup.UNKNOWN
    bounds = [
        (12, AgeGroup.UNDER_12),
        (16, AgeGroup.FROM_12),
        (18, AgeGroup.FROM_16),
        (23, AgeGroup.FROM_18),
        (30, AgeGroup.FROM_23),
        (40, AgeGroup.FROM_30),
        (50, AgeGroup.FROM_40),
    ]
    return next((group for upper, group in bounds if age < upper), AgeGroup.FROM_50)


def _age_on(person: Person, day: date) -> int | None:
    born = person.date_of_birth
    if born is None:
        return person.estimated_age
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _country(nationality: str) -> str:
    """The ISO code of a nationality as typed ("Nigeria", "Roemenië", "PL"), or ""."""
    text = nationality.strip()
    if not text:
        return ""
    if len(text) == 2 and text.upper() in countries:
        return text.upper()
    for language in ("en", "nl"):
        code = countries.by_name(text, language=language)
        if code:
            return code
    return ""


def reporter_kind(signal: Signal) -> str:
    """Who reported it, as CoMensha counts it: the submitting organisation's kind, or for the
    public form the person themself or a citizen."""
    if signal.submitted_by is not None:
        return signal.submitted_by.kind
    return "self" if signal.about_reporter else "citizen"


def registration_initial(signal: Signal, person: Person | None) -> dict:
    """What the case already tells, to start the form with; the coordinator checks it."""
    reported_on = timezone.localdate(signal.created_at)
    forms = list(signal.forms.all()[:2])
    initial = {
        "reported_on": reported_on,
        "region": signal.region_id,
        "reporter_kind": reporter_kind(signal),
        "form": forms[0].pk if len(forms) == 1 else None,
        "age_group": AgeGroup.UNKNOWN,
        "gender": Person.Gender.UNKNOWN,
    }
    if person is not None:
        initial.update(
            person=person.pk,
            age_group=age_group(_age_on(person, reported_on)),
            gender=person.gender,
            nationality=_country(person.nationality),
        )
    return initial


def possible_victims(signal: Signal) -> QuerySet[Person]:
    return signal.persons.filter(role=Person.Role.POSSIBLE_VICTIM)


def registrations_of(signal: Signal) -> QuerySet[Registration]:
    """The signal's registrations, for its case page."""
    return signal.registrations.select_related("form", "region", "organisation", "person")


# What CoMensha's organisation reads: codes and dates, never a name, a contact detail, free text
# or a link to the case. The CSV, the page and the API all give exactly these columns.
ROW_FIELDS = (
    "reference",
    "pseudonym",
    "reported_on",
    "form",
    "sector",
    "nationality",
    "age_group",
    "gender",
    "reporter_kind",
    "area",
    "legal_basis",
    "registered_on",
    "registered_by_organisation",
)


@dataclass(frozen=True)
class RegistrationRow:
    """One registration as CoMensha reads it, pseudonymised."""

    reference: str
    pseudonym: str
    reported_on: date
    form: str  # the form of exploitation's code
    sector: str
    nationality: str  # ISO 3166-1 alpha-2, "" when unknown
    age_group: str
    gender: str
    reporter_kind: str
    area: str  # the area's code
    legal_basis: str
    registered_on: date
    registered_by_organisation: str

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in ROW_FIELDS}


def registrations(
    *, since: date | None = None, until: date | None = None
) -> QuerySet[Registration]:
    """Every registration, newest first, reported on or after `since` and on or before `until`."""
    rows = Registration.objects.all()
    if since is not None:
        rows = rows.filter(reported_on__gte=since)
    if until is not None:
        rows = rows.filter(reported_on__lte=until)
    return rows.select_related("form", "region", "organisation").order_by("-reported_on", "-pk")


def registration_rows(rows: Iterable[Registration]) -> list[RegistrationRow]:
    return [
        RegistrationRow(
            reference=str(row.public_id),
            pseudonym=row.pseudonym,
            reported_on=row.reported_on,
            form=row.form.code,
            sector=row.sector,
            nationality=row.nationality.code or "",
            age_group=row.age_group,
            gender=row.gender,
            reporter_kind=row.reporter_kind,
            area=row.region.code,
            legal_basis=row.legal_basis,
            registered_on=timezone.localdate(row.created_at),
            registered_by_organisation=row.organisation.name,
        )
        for row in rows
    ]


def registrations_by_form_and_sector(
    *, since: date | None = None, until: date | None = None, region_ids: Iterable[int] = ()
) -> list[dict]:
    """Victims registered with CoMensha per form of exploitation and sector, for the monitor
    (which applies its small-cell suppression): one dict per pair with "form" (code),
    "form_name", "sector" and "count" (distinct pseudonyms: people, not registrations)."""
    rows = registrations(since=since, until=until)
    region_ids = list(region_ids)
    if region_ids:
        rows = rows.filter(region_id__in=region_ids)
    counted = (
        rows.order_by()
        .values("form__code", "form__name", "sector")
        .annotate(count=Count("pseudonym", distinct=True))
        .order_by("form__code", "sector")
    )
    return [
        {
            "form": row["form__code"],
            "form_name": row["form__name"],
            "sector": row["sector"],
            "count": row["count"],
        }
        for row in counted
    ]
