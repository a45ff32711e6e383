"""The professional intake: one main form and a formset per list (persons, locations, ...).

Forms only check and normalise input (with signals.identifiers); saving is done by
intake.professional.services.save_professional_draft / submit_professional_signal.
"""

from __future__ import annotations

import uuid
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from intake import uploads
from intake.public.forms import MultipleFileField, MultipleFileInput
from regions import places
from regions.models import Municipality
from signals import identifiers
from signals.models import (
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    Addition,
    ContactWishes,
    ExploitationForm,
    Indicator,
    Location,
    Person,
    ReportingCodeStep,
    Signal,
)
from signals.sbi import SbiSection

from .services import ProfessionalReport

MAX_ROWS = 20
MAX_PHONE_NUMBERS = 5
MAX_ATTACHMENTS = 10
OLDEST_AGE = 120
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


# Yes, no or not known, as None: for a person's safe-contact wishes.
_YES_NO_UNKNOWN = {
    "choices": [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))],
    "coerce": lambda value: value == "yes",
    "empty_value": None,
    "required": False,
}


def _as_choice(value):
    """A stored yes, no or unknown (True, False, None) as the form's choice; others as they are."""
    if isinstance(value, bool) or value is None:
        return {True: "yes", False: "no"}.get(value, "")
    return value


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class ProSignalForm(forms.Form):
    """What the signal is: source, forms of exploitation, indicators, urgency and the account."""

    MINOR_CHOICES = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]

    organisation = forms.ModelChoiceField(
        label=_("Reported by organisation"), queryset=None, empty_label=None
    )
    own_reference = forms.CharField(
        label=_("Your own reference"),
        max_length=100,
        required=False,
        help_text=_("Your organisation's file or case number, if any."),
    )
    exploitation_forms = forms.ModelMultipleChoiceField(
        label=_("Forms of exploitation"),
        queryset=ExploitationForm.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"),
        queryset=Indicator.objects.select_related("category"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_urgent = forms.BooleanField(label=_("Someone is in danger now"), required=False)
    involves_minor = forms.TypedChoiceField(
        label=_("Is a minor involved?"),
        choices=MINOR_CHOICES,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
    victim_consent = forms.ChoiceField(
        label=_("Does the possible victim know of this report?"),
        choices=Signal.VictimConsent.choices,
        initial=Signal.VictimConsent.UNKNOWN,
    )
    victim_wants_police = forms.ChoiceField(
        label=_("Does the possible victim want the police involved?"),
        choices=Signal.Wish.choices,
        initial=Signal.Wish.UNKNOWN,
        required=False,
    )
    victim_wants_immigration = forms.ChoiceField(
        label=_("Does the possible victim want the immigration authorities involved?"),
        help_text=_(
            "Their answer is followed: acting against it needs a recorded reason, unless a "
            "minor is involved or someone is in danger now."
        ),
        choices=Signal.Wish.choices,
        initial=Signal.Wish.UNKNOWN,
        required=False,
    )
    description = forms.CharField(
        label=_("What happened? Your account"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, organisations, final: bool = False, attached: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.final = final
        self.attached = attached
        self.fields["attachments"].help_text = gettext(
            "Photos (JPEG, PNG) or PDF files of at most 10 MB each; at most %(count)d in all. "
            "Hidden information such as place and time is removed from photos."
        ) % {"count": MAX_ATTACHMENTS}
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.initial.setdefault("organisation", organisations[0])

    def clean(self):
        cleaned = super().clean()
        # A draft may be incomplete; a submitted signal needs an account of what happened.
        if self.final and not cleaned.get("description") and "description" not in self.errors:
            self.add_error(
                "description", _("Describe what you saw or heard before you submit the signal.")
            )
        return cleaned

    def clean_attachments(self) -> list[uploads.CleanFile]:
        files = self.cleaned_data["attachments"]
        if self.attached + len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("A signal can have at most %(count)d attachments."),
                code="too_many",
                params={"count": MAX_ATTACHMENTS},
            )
        accepted, problems = [], []
        for uploaded in files:
            try:
                accepted.append(uploads.clean_upload(uploaded))
            except ValidationError as problem:
                problems.append(problem)
        if problems:
            raise ValidationError(problems)
        return accepted

    def indicator_groups(self) -> list[tuple[str, list]]:
        """The indicator checkboxes grouped by category, in the checklist's order."""
        groups: dict[str, list] = {}
        for checkbox in self["indicators"]:
            category = checkbox.data["value"].instance.category
            groups.setdefault(category.name, []).append(checkbox)
        return list(groups.items())


class AddressForm(forms.Form):
    """A Dutch address; postcode and house number together identify it."""

    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=16, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("Place"), max_length=120, required=False)

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"]
        if postcode:
            identifiers.normalise_postcode(postcode)
        return postcode.strip()

    def clean_house_number(self) -> str:
        house_number = self.cleaned_data["house_number"]
        if house_number:
            identifiers.normalise_house_number(house_number)
        return house_number.strip()

    def address_values(self) -> dict:
        """The address as typed; its blind index is computed when it is saved (the model)."""
        data = self.cleaned_data
        return {
            "street": data["street"],
            "house_number": data["house_number"],
            "postcode": data["postcode"],
            "city": data["city"],
        }


class PersonForm(AddressForm):
    role = forms.ChoiceField(
        label=_("Role"), choices=Person.Role.choices, initial=Person.Role.POSSIBLE_VICTIM
    )
    name = forms.CharField(label=_("Name or alias"), max_length=NAME_MAX_LENGTH, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    estimated_age = forms.IntegerField(
        label=_("Or estimated age"),
        required=False,
        validators=[MinValueValidator(0), MaxValueValidator(OLDEST_AGE)],
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Person.Gender.choices, initial=Person.Gender.UNKNOWN
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=100, required=False)
    language = forms.CharField(label=_("Language spoken"), max_length=100, required=False)
    phone_numbers = forms.CharField(
        label=_("Phone numbers"),
        help_text=_("One per line. Foreign numbers with + and the country code."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=400,
        required=False,
    )
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    # How this person can be contacted safely (signals.models.ContactWishes), for a victim.
    contact_channel = forms.ChoiceField(
        label=_("Safe way to contact"),
        choices=[("", _("Unknown")), *ContactWishes.Channel.choices],
        required=False,
    )
    contact_times = forms.MultipleChoiceField(
        label=_("Safe times of day"),
        choices=ContactWishes.Time.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_voicemail = forms.TypedChoiceField(label=_("Voicemail allowed"), **_YES_NO_UNKNOWN)
    contact_sms = forms.TypedChoiceField(label=_("Text messages allowed"), **_YES_NO_UNKNOWN)
    contact_language = forms.ChoiceField(
        label=_("Language to contact in"),
        choices=[("", _("Unknown")), *settings.LANGUAGES],
        required=False,
    )
    contact_interpreter = forms.TypedChoiceField(label=_("Needs an interpreter"), **_YES_NO_UNKNOWN)

    field_order = [
        "role",
        "name",
        "date_of_birth",
        "estimated_age",
        "gender",
        "nationality",
        "language",
        "phone_numbers",
        "email",
        *ContactWishes.WISH_FIELDS,
    ]

    def clean_date_of_birth(self) -> date | None:
        born = self.cleaned_data["date_of_birth"]
        if born is None:
            return None
        today = timezone.localdate()
        if born > today:
            raise ValidationError(_("A date of birth cannot be in the future."), code="future")
        if born < _years_ago(today, OLDEST_AGE):
            raise ValidationError(
                _("A date of birth more than %(years)d years ago is not possible."),
                code="too_old",
                params={"years": OLDEST_AGE},
            )
        return born

    def clean_phone_numbers(self) -> list[tuple[str, str]]:
        lines = [
            line.strip()
            for line in self.cleaned_data["phone_numbers"].replace(",", "\n").splitlines()
        ]
        lines = [line for line in lines if line]
        if len(lines) > MAX_PHONE_NUMBERS:
            raise ValidationError(
                _("Give at most %(count)d phone numbers per person."),
                code="too_many",
                params={"count": MAX_PHONE_NUMBERS},
            )
        numbers, errors = [], []
        for line in lines:
            try:
                numbers.append((line, identifiers.normalise_phone(line)))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return numbers

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if not email:
            return ""
        try:
            return identifiers.normalise_email(email)
        except ValidationError as error:
            raise ValidationError(_("Enter a valid e-mail address."), code="invalid") from error

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "name": data["name"],
            "date_of_birth": data["date_of_birth"],
            "estimated_age": data["estimated_age"],
            "gender": data["gender"],
            "nationality": data["nationality"],
            "language": data["language"],
            "email": data["email"],
            "phone_numbers": data["phone_numbers"],
            **{name: data[name] for name in ContactWishes.WISH_FIELDS},
            **self.address_values(),
        }

    @staticmethod
    def initial_for(person: Person) -> dict:
        return {
            "role": person.role,
            "name": person.name,
            "date_of_birth": person.date_of_birth,
            "estimated_age": person.estimated_age,
            "gender": person.gender,
            "nationality": person.nationality,
            "language": person.language,
            "phone_numbers": "\n".join(phone.raw for phone in person.phone_numbers.all()),
            "email": person.email,
            **{name: _as_choice(getattr(person, name)) for name in ContactWishes.WISH_FIELDS},
            "street": person.street,
            "house_number": person.house_number,
            "postcode": person.postcode,
            "city": person.city,
        }


class LocationForm(AddressForm):
    kind = forms.ChoiceField(
        label=_("Kind of place"), choices=[("", _("Choose…")), *Location.Kind.choices]
    )
    municipality = forms.CharField(
        label=_("Municipality"),
        help_text=_(
            "The municipality, a town or village in it, or a postcode. Left empty, the place or "
            "postcode of the address below decides, if it names one municipality."
        ),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"list": "municipalities", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Description"),
        help_text=_("For example the name of the hotel or company, or the platform online."),
        max_length=500,
        required=False,
    )

    field_order = ["kind", "municipality", "description"]

    def clean_municipality(self) -> Municipality | None:
        """The municipality as the same lookup as the public form finds it (regions.places);
        a shared name lists its municipalities, so that typing one of them settles it."""
        name = self.cleaned_data["municipality"].strip()
        if not name:
            return None
        by_code = Municipality.objects.filter(code__iexact=name).first()
        if by_code is not None:
            return by_code
        result = places.lookup(name)
        if result.outcome is places.Outcome.AMBIGUOUS:
            raise ValidationError(
                _(
                    "“%(value)s” is in more than one municipality: %(choices)s. "
                    "Type the one you mean."
                ),
                code="ambiguous_municipality",
                params={
                    "value": name,
                    "choices": "; ".join(c.label for c in result.candidates),
                },
            )
        if result.municipality is None:
            raise ValidationError(
                _("“%(value)s” is not a Dutch place or municipality. Choose one from the list."),
                code="unknown_municipality",
                params={"value": name},
            )
        return result.municipality

    def clean(self):
        cleaned = super().clean()
        # No municipality typed: the address's place or postcode decides, when it names one.
        if not self.errors and not cleaned.get("municipality"):
            for text in (cleaned.get("city"), cleaned.get("postcode")):
                municipality = places.find_municipality(text or "")
                if municipality is not None:
                    cleaned["municipality"] = municipality
                    break
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "municipality": data["municipality"],
            "description": data["description"],
            **self.address_values(),
        }

    @staticmethod
    def initial_for(location: Location) -> dict:
        return {
            "kind": location.kind,
            "municipality": location.municipality.name if location.municipality else "",
            "description": location.description,
            "street": location.street,
            "house_number": location.house_number,
            "postcode": location.postcode,
            "city": location.city,
        }


class CompanyForm(AddressForm):
    """A company: its KvK number links it to other signals naming the same company."""

    field_order = ["name", "kvk_number", "sector"]

    name = forms.CharField(label=_("Company name"), max_length=NAME_MAX_LENGTH, required=False)
    kvk_number = forms.CharField(
        label=_("KvK number"),
        help_text=_("Eight digits, from the Chamber of Commerce (KVK) register."),
        max_length=20,
        required=False,
    )
    sector = forms.ChoiceField(
        label=_("Sector (SBI)"), choices=[("", "—"), *SbiSection.choices], required=False
    )

    def clean_kvk_number(self) -> str:
        number = self.cleaned_data["kvk_number"]
        return identifiers.normalise_kvk_number(number) if number.strip() else ""

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kvk_number": data["kvk_number"],
            "sector": data["sector"],
            **self.address_values(),
        }

    @staticmethod
    def initial_for(company) -> dict:
        return {
            "name": company.name,
            "kvk_number": company.kvk_number,
            "sector": company.sector,
            "street": company.street,
            "house_number": company.house_number,
            "postcode": company.postcode,
            "city": company.city,
        }


class VehicleForm(forms.Form):
    plate = forms.CharField(label=_("Licence plate"), max_length=20)
    country = forms.CharField(
        label=_("Country of registration"),
        help_text=_("Two-letter country code, e.g. NL, PL, RO."),
        max_length=2,
        initial="NL",
        validators=[
            RegexValidator(r"^[A-Za-z]{2}$", _("Enter a two-letter country code, e.g. NL."))
        ],
    )
    description = forms.CharField(label=_("Make, model, colour"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("plate") and "country" not in self.errors:
            country = cleaned.get("country", "NL").upper()
            try:
                cleaned["normalised_plate"] = identifiers.normalise_licence_plate(
                    cleaned["plate"], country
                )
            except ValidationError as error:
                self.add_error("plate", error)
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "plate_raw": data["plate"],
            "plate": data["normalised_plate"],
            "country": data["country"].upper(),
            "description": data["description"],
        }

    @staticmethod
    def initial_for(vehicle) -> dict:
        return {
            "plate": vehicle.plate_raw,
            "country": vehicle.country,
            "description": vehicle.description,
        }


class WebsiteForm(forms.Form):
    url = forms.CharField(label=_("Web address or ad"), max_length=2000)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        self.domain = identifiers.website_domain(url)
        return url

    def values(self) -> dict:
        return {"url": self.cleaned_data["url"], "domain": self.domain}

    @staticmethod
    def initial_for(website) -> dict:
        return {"url": website.url}


class BankAccountForm(forms.Form):
    iban = forms.CharField(label=_("IBAN"), max_length=50)
    holder = forms.CharField(label=_("Account holder"), max_length=NAME_MAX_LENGTH, required=False)

    def clean_iban(self) -> str:
        iban = self.cleaned_data["iban"].strip()
        self.normalised_iban = identifiers.normalise_iban(iban)
        return iban

    def values(self) -> dict:
        return {
            "iban_raw": self.cleaned_data["iban"],
            "iban": self.normalised_iban,
            "holder": self.cleaned_data["holder"],
        }

    @staticmethod
    def initial_for(account) -> dict:
        return {"iban": account.iban_raw, "holder": account.holder}


def _formset(form_class):
    return forms.formset_factory(
        form_class,
        extra=1,
        can_delete=True,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )


# prefix → (formset, form, the signal's related rows, heading, label of the "add a row" button)
SECTIONS = {
    "persons": (
        _formset(PersonForm),
        PersonForm,
        "persons",
        _("Persons involved"),
        _("Add another person"),
    ),
    "companies": (
        _formset(CompanyForm),
        CompanyForm,
        "companies",
        _("Companies"),
        _("Add another company"),
    ),
    "locations": (
        _formset(LocationForm),
        LocationForm,
        "locations",
        _("Locations"),
        _("Add another location"),
    ),
    "vehicles": (
        _formset(VehicleForm),
        VehicleForm,
        "vehicles",
        _("Vehicles"),
        _("Add another vehicle"),
    ),
    "websites": (
        _formset(WebsiteForm),
        WebsiteForm,
        "websites",
        _("Websites and ads"),
        _("Add another website or ad"),
    ),
    "bank_accounts": (
        _formset(BankAccountForm),
        BankAccountForm,
        "bank_accounts",
        _("Bank accounts"),
        _("Add another bank account"),
    ),
}


class ProfessionalIntake:
    """The main form and its formsets, bound together, for a new intake or a draft."""

    def __init__(
        self, data=None, files=None, *, organisations, draft: Signal | None = None, final=False
    ):
        initial = {"submission_key": uuid.uuid4()}
        if draft is not None:
            initial = {
                "submission_key": draft.submission_key,
                "organisation": draft.submitted_by,
                "own_reference": draft.own_reference,
                "exploitation_forms": list(draft.forms.all()),
                "indicators": list(draft.indicators.all()),
                "is_urgent": draft.is_urgent,
                "involves_minor": {True: "yes", False: "no"}.get(draft.involves_minor, ""),
                "victim_consent": draft.victim_consent,
                "victim_wants_police": draft.victim_wants_police,
                "victim_wants_immigration": draft.victim_wants_immigration,
                "description": draft.description,
            }
        self.form = ProSignalForm(
            data,
            files,
            organisations=organisations,
            final=final,
            initial=initial,
            attached=draft.attachments.count() if draft is not None else 0,
        )
        self.formsets = {}
        for prefix, (formset_class, form_class, related, heading, add_label) in SECTIONS.items():
            rows = []
            if draft is not None and data is None:
                rows = [form_class.initial_for(row) for row in getattr(draft, related).all()]
            # Posted rows are the whole truth (a draft's rows are replaced on save), so they are
            # compared with the empty form, and any row left blank is skipped, not refused.
            formset = formset_class(
                data, prefix=prefix, initial=rows, form_kwargs={"empty_permitted": True}
            )
            formset.heading, formset.add_label = heading, add_label
            self.formsets[prefix] = formset

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        valid = all([valid, *(formset.is_valid() for formset in self.formsets.values())])
        if not valid and self.form.cleaned_data.get("attachments"):
            # A browser never sends a chosen file again: say so rather than lose it silently.
            self.form.add_error(
                "attachments",
                _("Your files were not saved because of the other errors. Choose them again."),
            )
        return valid

    def _rows(self, prefix: str) -> list[dict]:
        formset = self.formsets[prefix]
        return [
            form.values()
            for form in formset.forms
            if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]

    def report(self, language: str) -> ProfessionalReport:
        data = self.form.cleaned_data
        return ProfessionalReport(
            organisation=data["organisation"],
            language=language,
            own_reference=data["own_reference"],
            description=data["description"],
            forms=list(data["exploitation_forms"]),
            indicators=list(data["indicators"]),
            is_urgent=data["is_urgent"],
            involves_minor=data["involves_minor"],
            victim_consent=data["victim_consent"],
            victim_wants_police=data["victim_wants_police"] or Signal.Wish.UNKNOWN,
            victim_wants_immigration=data["victim_wants_immigration"] or Signal.Wish.UNKNOWN,
            persons=self._rows("persons"),
            companies=self._rows("companies"),
            locations=self._rows("locations"),
            vehicles=self._rows("vehicles"),
            websites=self._rows("websites"),
            bank_accounts=self._rows("bank_accounts"),
            files=data["attachments"],
        )


def with_extra_row(data, prefix: str):
    """The posted data with one more (empty) row in a formset: "add another" without scripts."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(min(total + 1, MAX_ROWS))
    return data


class ReportingCodeForm(forms.Form):
    """The meldcode's five steps: per step a tick and a short note."""

    def __init__(self, *args, steps: dict[int, ReportingCodeStep] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        steps = steps or {}
        self.kept = steps
        for step in ReportingCodeStep.Step:
            kept = steps.get(step.value)
            self.fields[f"done_{step.value}"] = forms.BooleanField(
                label=step.label, required=False, initial=bool(kept and kept.done_at)
            )
            self.fields[f"note_{step.value}"] = forms.CharField(
                label=_("Note on step %(number)d") % {"number": step.value},
                max_length=ReportingCodeStep.NOTE_MAX_LENGTH,
                required=False,
                initial=kept.note if kept else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        """Per step: its tick, its note field and the row kept so far (who did it, when)."""
        return [
            (self[f"done_{step.value}"], self[f"note_{step.value}"], self.kept.get(step.value))
            for step in ReportingCodeStep.Step
        ]

    def steps(self) -> dict[int, tuple[bool, str]]:
        return {
            step.value: (
                self.cleaned_data[f"done_{step.value}"],
                self.cleaned_data[f"note_{step.value}"],
            )
            for step in ReportingCodeStep.Step
        }


class AdditionForm(forms.ModelForm):
    class Meta:
        model = Addition
        fields = ["text"]
        labels = {"text": _("Add information")}
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
