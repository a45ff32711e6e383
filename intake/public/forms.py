"""The steps of the public report form (trechter): one question per step.

Each step's answers live in the session between steps as plain JSON values that double as the
form's `initial`, so going back shows what was given. `describe` turns them into the summary,
`report_values` into the fields of `services.PublicReport`.
"""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from coordination.phrasebook import CALL_TIMES, Reply
from intake import uploads
from regions import places
from regions import selectors as regions
from signals import identifiers, receipts, selectors
from signals.models import (
    DESCRIPTION_MAX_LENGTH,
    ContactWishes,
    InterpreterRequest,
    Message,
    Signal,
)

YES_NO_UNKNOWN = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("I don't know"))]
_AS_BOOLEAN = {"yes": True, "no": False}
_AS_WISH = {"yes": Signal.Wish.YES, "no": Signal.Wish.NO}
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _choice_label(choices, value) -> str:
    return str(dict(choices).get(value, ""))


class PublicForm(forms.Form):
    """A form of the public pages: a honeypot for bots, and errors tied to their fields.

    A reporter who reports about themself (the first question) is asked in the second person, as
    a self-check does: `SELF_WORDING` gives such a field its own label, help text and errors.
    """

    SELF_WORDING: dict[str, dict] = {}

    # Visually hidden; people leave it empty, form-filling bots do not (the views drop them).
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, about_me: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.about_me = about_me
        if about_me:
            for name, wording in self.SELF_WORDING.items():
                field = self.fields[name]
                field.label = wording.get("label", field.label)
                field.help_text = wording.get("help_text", field.help_text)
                field.error_messages = {**field.error_messages, **wording.get("errors", {})}

    def full_clean(self) -> None:
        super().full_clean()
        # Screen readers read the error with the field (ids as in public/report/_field.html).
        for name in self.errors:
            if name in self.fields:
                field = self[name]
                described_by = [f"{field.auto_id}_error"]
                if field.help_text:
                    described_by.insert(0, f"{field.auto_id}_helptext")
                field.field.widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": " ".join(described_by)}
                )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def answers(self) -> dict:
        """The cleaned answers as JSON values, fit to be this form's `initial` again."""
        return {name: value for name, value in self.cleaned_data.items() if name != "website"}

    @classmethod
    def describe(cls, answers: dict, *, about_me: bool = False) -> list[tuple[str, str]]:
        return []

    @classmethod
    def report_values(cls, answers: dict) -> dict:
        return {}


ABOUT_CHOICES = [
    ("me", _("About me: this is happening to me")),
    ("other", _("About someone else")),
]


class AboutForm(PublicForm):
    """The first question: a report about the reporter themself is asked in the second person
    and ends with the reporter's rights."""

    about = forms.ChoiceField(
        label=_("Who is this report about?"),
        help_text=_(
            "You can also report what is happening to you yourself. You do not have to be "
            "sure that it is human trafficking."
        ),
        choices=ABOUT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )

    @classmethod
    def describe(cls, answers, *, about_me=False):
        return [(_("About"), _choice_label(ABOUT_CHOICES, answers.get("about")))]

    @classmethod
    def report_values(cls, answers):
        return {"about_reporter": {"me": True, "other": False}.get(answers.get("about"))}


class WhatForm(PublicForm):
    description = forms.CharField(
        label=_("What did you see or hear?"),
        help_text=_(
            "Tell it in your own words. You do not have to be sure that it is trafficking."
        ),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Please tell us what you saw or heard.")},
    )
    SELF_WORDING = {
        "description": {
            "label": _("What is happening to you?"),
            "help_text": _(
                "Tell it in your own words: what you have to do, for whom, and what happens "
                "if you refuse. You do not have to be sure that it is trafficking."
            ),
            "errors": {"required": _("Please tell us what is happening to you.")},
        }
    }

    @classmethod
    def describe(cls, answers, *, about_me=False):
        label = _("What is happening to you") if about_me else _("What you saw")
        return [(label, answers.get("description", ""))]

    @classmethod
    def report_values(cls, answers):
        return {"description": answers.get("description", "")}


PLACES = [
    (Signal.LocationKind.MUNICIPALITY, _("In the Netherlands, in this municipality:")),
    (Signal.LocationKind.ABROAD, _("Abroad")),
    (Signal.LocationKind.ONLINE, _("Online (internet, social media, an app)")),
    (Signal.LocationKind.UNKNOWN, _("I don't know")),
]


class WhereForm(PublicForm):
    """Where it happened: a place as the reporter names it (regions.places finds the
    municipality). A name shared by several places is asked about with a choice, also without
    JavaScript: the step shows again with the candidates as radio buttons and the name kept."""

    place = forms.ChoiceField(
        label=_("Where did it happen?"),
        choices=PLACES,
        required=False,
        widget=forms.RadioSelect,
    )
    municipality = forms.CharField(
        label=_("Town, village or municipality"),
        help_text=_(
            "Type the name of the place, for example Rotterdam, Den Haag or Naaldwijk, "
            "or a postcode."
        ),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"list": "municipality-list", "autocomplete": "off"}),
    )
    SELF_WORDING = {"place": {"label": _("Where is this happening to you?")}}
    which = forms.ChoiceField(
        label=_("Which one do you mean?"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.data.get("municipality") if self.is_bound else self.initial.get("municipality")
        self._lookup = places.lookup(name or "")
        self.fields["which"].choices = [
            (candidate.municipality.code, candidate.label) for candidate in self._lookup.candidates
        ]
        if self._lookup.outcome is places.Outcome.AMBIGUOUS:
            self.fields["which"].widget = forms.RadioSelect(choices=self.fields["which"].choices)

    def clean(self):
        cleaned = super().clean()
        place = cleaned.get("place") or ""
        name = cleaned.get("municipality") or ""
        if place not in ("", Signal.LocationKind.MUNICIPALITY):
            cleaned["municipality"] = ""
            cleaned["which"] = ""
            return cleaned
        if not name:
            if place == Signal.LocationKind.MUNICIPALITY:
                self.add_error("municipality", _("Type the name of the town or municipality."))
            return cleaned
        outcome = self._lookup.outcome
        if outcome is places.Outcome.FOUND:
            cleaned["which"] = self._lookup.municipality.code
        elif outcome is places.Outcome.AMBIGUOUS:
            if self._lookup.choice(cleaned.get("which") or "") is None:
                self.add_error(
                    "which",
                    _("There is more than one “%(name)s”. Choose the one you mean.")
                    % {"name": name},
                )
                return cleaned
        else:
            self.add_error(
                "municipality",
                _(
                    "We do not know this place. Check the spelling, type the municipality or "
                    "a postcode, or choose “I don't know”."
                ),
            )
            return cleaned
        cleaned["place"] = Signal.LocationKind.MUNICIPALITY
        return cleaned

    @classmethod
    def _municipality(cls, answers: dict):
        return regions.municipality_by_code(answers.get("which") or "") or places.find_municipality(
            answers.get("municipality", "")
        )

    @classmethod
    def describe(cls, answers, *, about_me=False):
        place = answers.get("place") or Signal.LocationKind.UNKNOWN
        if place == Signal.LocationKind.MUNICIPALITY:
            municipality = cls._municipality(answers)
            name = answers.get("municipality", "")
            if municipality is not None:
                return [(_("Where"), places.Candidate(municipality, name).label)]
            return [(_("Where"), name)]
        return [(_("Where"), _choice_label(PLACES, place))]

    @classmethod
    def report_values(cls, answers):
        place = answers.get("place") or Signal.LocationKind.UNKNOWN
        if place == Signal.LocationKind.MUNICIPALITY:
            municipality = cls._municipality(answers)
            if municipality is not None:
                return {"location_kind": place, "municipality": municipality}
            place = Signal.LocationKind.UNKNOWN
        return {"location_kind": place}


WHEN_CHOICES = [
    (Signal.OccurredPeriod.ONGOING, _("It is still going on")),
    (Signal.OccurredPeriod.DAYS, _("In the last few days")),
    (Signal.OccurredPeriod.WEEKS, _("In the last few weeks")),
    (Signal.OccurredPeriod.MONTHS, _("Some months ago")),
    (Signal.OccurredPeriod.YEAR, _("More than a year ago")),
    (Signal.OccurredPeriod.UNKNOWN, _("I don't know")),
]


class WhenForm(PublicForm):
    """When, as a choice that every coordinator reads in Dutch, and in the reporter's own words
    if they want to say more."""

    period = forms.ChoiceField(
        label=_("When did it happen?"),
        choices=WHEN_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    occurred_when = forms.CharField(
        label=_("In your own words (optional)"),
        help_text=_("For example: yesterday evening, since last summer, every weekend."),
        max_length=200,
        required=False,
    )
    SELF_WORDING = {
        "period": {"label": _("Since when is this happening to you? Is it still going on?")}
    }

    @classmethod
    def describe(cls, answers, *, about_me=False):
        said = [_choice_label(WHEN_CHOICES, answers.get("period")), answers.get("occurred_when")]
        return [(_("When"), " — ".join(part for part in said if part))]

    @classmethod
    def report_values(cls, answers):
        return {
            "occurred_period": answers.get("period", ""),
            "occurred_when": answers.get("occurred_when", ""),
        }


class WhoForm(PublicForm):
    people_count = forms.IntegerField(
        label=_("How many people are involved?"),
        help_text=_("A guess is fine."),
        min_value=1,
        max_value=999,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    minor = forms.ChoiceField(
        label=_("Does anyone seem younger than 18?"),
        choices=YES_NO_UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    # The victim's own say about the authorities, respected unless a child or a life is at risk.
    wants_police = forms.ChoiceField(
        label=_("Does the person it happens to want the police to be involved?"),
        help_text=_("We follow their wish, unless a child or someone's life is in danger."),
        choices=YES_NO_UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    wants_immigration = forms.ChoiceField(
        label=_(
            "Does the person it happens to want the immigration authorities (IND, KMar) "
            "to be involved?"
        ),
        choices=YES_NO_UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    SELF_WORDING = {
        "people_count": {
            "label": _("How many people are in the same situation, you included?"),
        },
        "minor": {"label": _("Are you younger than 18?")},
        "wants_police": {
            "label": _("Do you want the police to be involved?"),
            "help_text": _("We follow your wish, unless a child or someone's life is in danger."),
        },
        "wants_immigration": {
            "label": _("Do you want the immigration authorities (IND, KMar) to be involved?")
        },
    }

    @classmethod
    def describe(cls, answers, *, about_me=False):
        count = answers.get("people_count")
        minor = _("You are younger than 18") if about_me else _("Someone younger than 18")
        return [
            (_("Number of people"), "" if count is None else str(count)),
            (minor, _choice_label(YES_NO_UNKNOWN, answers.get("minor"))),
            (_("Police involved"), _choice_label(YES_NO_UNKNOWN, answers.get("wants_police"))),
            (
                _("Immigration authorities involved"),
                _choice_label(YES_NO_UNKNOWN, answers.get("wants_immigration")),
            ),
        ]

    @classmethod
    def report_values(cls, answers):
        return {
            "people_count": answers.get("people_count"),
            "involves_minor": _AS_BOOLEAN.get(answers.get("minor")),
            "victim_wants_police": _AS_WISH.get(answers.get("wants_police"), Signal.Wish.UNKNOWN),
            "victim_wants_immigration": _AS_WISH.get(
                answers.get("wants_immigration"), Signal.Wish.UNKNOWN
            ),
        }


class InvolvedForm(PublicForm):
    """Optional: what may identify the person behind the situation. Stored as the identifiers a
    professional's intake stores, so that the report is linked with others that name them."""

    involved_phone = forms.CharField(
        label=_("Their phone number"),
        help_text=_(
            "Only what you know of the person who arranges the work or the situation. "
            "It helps to find other reports about them."
        ),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    involved_website = forms.CharField(
        label=_("A website or advertisement"),
        help_text=_("For example the address of the page where the work is offered."),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    involved_company = forms.CharField(
        label=_("The name of a company"),
        help_text=_("For example the employer, the agency or the business where it happens."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_involved_phone(self) -> str:
        raw = self.cleaned_data["involved_phone"].strip()
        if not raw:
            return ""
        try:
            return identifiers.normalise_phone(raw)
        except ValidationError:
            raise ValidationError(
                _(
                    "This is not a phone number we can use. Numbers from outside the "
                    "Netherlands start with + and the country code."
                ),
                code="invalid_phone",
            ) from None

    def clean_involved_website(self) -> str:
        raw = self.cleaned_data["involved_website"].strip()
        if not raw:
            return ""
        try:
            identifiers.website_domain(raw)
        except ValidationError:
            raise ValidationError(
                _("This is not a web address. Copy it from the address bar, e.g. example.nl."),
                code="invalid_url",
            ) from None
        return raw

    @classmethod
    def describe(cls, answers, *, about_me=False):
        return [
            (_("Their phone number"), answers.get("involved_phone", "")),
            (_("A website or advertisement"), answers.get("involved_website", "")),
            (_("The name of a company"), answers.get("involved_company", "")),
        ]

    @classmethod
    def report_values(cls, answers):
        return {
            "involved_phone": answers.get("involved_phone", ""),
            "involved_website": answers.get("involved_website", ""),
            "involved_company": answers.get("involved_company", "").strip(),
        }


class _PlainNameChoice(forms.ModelMultipleChoiceField):
    """Choices named in plain words: an indicator's public question (its second-person one for
    a reporter about themself), else its name."""

    about_me = False

    def label_from_instance(self, obj):
        if self.about_me and getattr(obj, "self_text", ""):
            return obj.self_text
        return getattr(obj, "public_text", "") or obj.name


class KindForm(PublicForm):
    kinds = _PlainNameChoice(
        label=_("What kind of situation is it?"),
        help_text=_("Choose one or more. If you are not sure, skip this question."),
        queryset=selectors.exploitation_forms(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    SELF_WORDING = {"kinds": {"label": _("What kind of situation are you in?")}}

    def answers(self):
        return {"kinds": [item.pk for item in self.cleaned_data["kinds"]]}

    @classmethod
    def describe(cls, answers, *, about_me=False):
        chosen = selectors.exploitation_forms().filter(pk__in=answers.get("kinds", []))
        return [(_("Kind of situation"), ", ".join(item.name for item in chosen))]

    @classmethod
    def report_values(cls, answers):
        return {
            "forms": list(selectors.exploitation_forms().filter(pk__in=answers.get("kinds", [])))
        }


class SignsForm(PublicForm):
    indicators = _PlainNameChoice(
        label=_("Did you notice any of these things?"),
        help_text=_("Tick what you noticed. Skip what you do not know."),
        queryset=selectors.public_indicators(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    SELF_WORDING = {
        "indicators": {
            "label": _("Is any of this true for you?"),
            "help_text": _("Tick what is true for you. Skip what you do not want to answer."),
        }
    }

    def __init__(self, *args, kinds: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The signs of the forms chosen in the step before, after the signs of every form, so
        # that the list stays short.
        self.fields["indicators"].queryset = selectors.public_indicators_for(kinds or [])
        self.fields["indicators"].about_me = self.about_me

    def answers(self):
        return {"indicators": [item.pk for item in self.cleaned_data["indicators"]]}

    @classmethod
    def describe(cls, answers, *, about_me=False):
        chosen = selectors.public_indicators().filter(pk__in=answers.get("indicators", []))
        if about_me:
            label = _("What is true for you")
            texts = [item.self_text or item.public_text or item.name for item in chosen]
        else:
            label = _("What you noticed")
            texts = [item.public_text or item.name for item in chosen]
        return [(label, ", ".join(texts))]

    @classmethod
    def report_values(cls, answers):
        return {
            "indicators": list(
                selectors.public_indicators().filter(pk__in=answers.get("indicators", []))
            )
        }


class DangerForm(PublicForm):
    danger = forms.ChoiceField(
        label=_("Is someone in danger right now?"),
        choices=YES_NO_UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    SELF_WORDING = {"danger": {"label": _("Are you in danger right now?")}}

    @classmethod
    def describe(cls, answers, *, about_me=False):
        label = _("You are in danger now") if about_me else _("Someone in danger now")
        return [(label, _choice_label(YES_NO_UNKNOWN, answers.get("danger")))]

    @classmethod
    def report_values(cls, answers):
        return {"is_urgent": answers.get("danger") == "yes"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [file for file in files if file]


class PhotosForm(PublicForm):
    """Up to three photos or PDF files. Good files are kept even when another one is refused."""

    files = MultipleFileField(
        label=_("Do you have photos or documents? (optional)"),
        help_text=format_lazy(
            "{} {}",
            _(
                "JPEG or PNG photos, or PDF files. At most 3 files of at most 10 MB each. "
                "We remove hidden information such as place and time from photos."
            ),
            _("From PDF files we remove the author and similar information."),
        ),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    keep_metadata = forms.BooleanField(
        label=_(
            "Keep the hidden information (place, time, camera) in these photos. It can help as "
            "evidence, but it can also show where you were."
        ),
        required=False,
    )

    def __init__(
        self,
        *args,
        kept: int = 0,
        may_decode: Callable[[int], bool] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kept = kept
        # Asked with an image's pixel count before it is decoded (the client's decoding budget).
        self.may_decode = may_decode
        self.accepted: list[uploads.CleanFile] = []

    def clean(self):
        cleaned = super().clean()
        self.accepted, problems = clean_files(
            cleaned.get("files", []),
            kept=self.kept,
            keep_metadata=bool(cleaned.get("keep_metadata")),
            may_decode=self.may_decode,
        )
        if problems:
            self.add_error("files", problems)
        return cleaned

    def answers(self):
        return {}


CONTACT_CHOICES = [
    ("anonymous", _("No, I want to stay anonymous")),
    ("contact", _("Yes, you may contact me")),
]


SELF_CONTACT_CHOICES = [
    ("anonymous", _("No, I want to stay anonymous")),
    ("contact", _("Yes, call me back in my language")),
]


# "No" has a value of its own: a question skipped is not an answer (ContactWishes keeps None).
INTERPRETER_NOT_NEEDED = "no"
INTERPRETER_CHOICES = [
    (INTERPRETER_NOT_NEEDED, _("No")),
    (InterpreterRequest.Mode.PHONE, _("Yes, by phone")),
    (InterpreterRequest.Mode.IN_PERSON, _("Yes, in person")),
]


class LanguageSelect(forms.Select):
    """Each language named in itself, marked with its language, as the language switcher names
    them: a reporter finds their own language whatever the language of the page."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["lang"] = value
        return option


def _languages_in_themselves() -> list[tuple[str, str]]:
    return [
        (code, capfirst(get_language_info(code)["name_local"]))
        for code, _name in settings.LANGUAGES
    ]


class InterpreterFields(forms.Form):
    """Asking for an interpreter: how, and in which language (the page's by default)."""

    interpreter = forms.ChoiceField(
        label=_("Do you need an interpreter when you talk with a care coordinator?"),
        help_text=_("An interpreter is free of charge and keeps what you say confidential."),
        choices=INTERPRETER_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    interpreter_language = forms.ChoiceField(
        label=_("Language for the interpreter"),
        choices=_languages_in_themselves,
        required=False,
        widget=LanguageSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpreter_language"].initial = get_language()

    def clean_interpreter_language(self) -> str:
        return self.cleaned_data["interpreter_language"] or get_language()

    @staticmethod
    def describe_interpreter(answers: dict) -> tuple[str, str]:
        how = answers.get("interpreter", "")
        if how not in InterpreterRequest.Mode.values:
            # Not answered ("" shows as such on the check page), or "No".
            return (_("Interpreter"), _choice_label(INTERPRETER_CHOICES, how))
        language = dict(_languages_in_themselves()).get(answers.get("interpreter_language", ""))
        return (_("Interpreter"), f"{_choice_label(INTERPRETER_CHOICES, how)}: {language}")


class ContactForm(InterpreterFields, PublicForm):
    """Anonymous by default. A reporter about themself is offered a call back in their language.
    Anyone may ask for an interpreter, also without being contacted: they can ask for a talk on
    the follow-up page."""

    contact = forms.ChoiceField(
        label=_("May a care coordinator contact you?"),
        help_text=_(
            "You do not have to give your name. With your receipt code you can always read "
            "answers on this website."
        ),
        choices=CONTACT_CHOICES,
        initial="anonymous",
        required=False,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the care coordinator keeps my contact details and uses them only to "
            "contact me about this report."
        ),
        required=False,
    )
    # How it is safe to contact the reporter: asked only of whoever agrees to be contacted.
    contact_channel = forms.ChoiceField(
        label=_("How may we contact you?"),
        choices=[
            (ContactWishes.Channel.CALL, ContactWishes.Channel.CALL.label),
            (ContactWishes.Channel.TEXT, ContactWishes.Channel.TEXT.label),
            (ContactWishes.Channel.EMAIL, ContactWishes.Channel.EMAIL.label),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    contact_times = forms.MultipleChoiceField(
        label=_("When is it safe to contact you?"),
        help_text=_("Tick nothing if any time is fine."),
        choices=ContactWishes.Time.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_voicemail = forms.ChoiceField(
        label=_("May we leave a voicemail message?"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    contact_sms = forms.ChoiceField(
        label=_("May we send you a text message?"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    contact_language = forms.ChoiceField(
        label=_("In which language?"),
        choices=_languages_in_themselves,
        required=False,
        widget=LanguageSelect,
    )

    SELF_WORDING = {
        "contact": {
            "label": _("Would you like a care coordinator to call you back?"),
            "help_text": _(
                "They call you in your language, with an interpreter if needed. Give only a "
                "phone number that is safe for you. You do not have to give your name."
            ),
        },
        "phone": {"label": _("A phone number that is safe to call")},
    }

    WISHES = (
        "contact_channel",
        "contact_times",
        "contact_voicemail",
        "contact_sms",
        "contact_language",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.about_me:
            self.fields["contact"].choices = SELF_CONTACT_CHOICES
        # The language of the form, unless the reporter says otherwise.
        self.fields["contact_language"].initial = get_language()

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            return identifiers.normalise_phone(raw)
        except ValidationError:
            # The same check as everywhere, in words for the public rather than for professionals.
            raise ValidationError(
                _(
                    "This is not a phone number we can use. Numbers from outside the "
                    "Netherlands start with + and the country code."
                ),
                code="invalid_phone",
            ) from None

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        return identifiers.normalise_email(email) if email else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact") != "contact":
            typed = [name for name in ("name", "phone", "email") if self.data.get(name, "").strip()]
            for name in ("name", "phone", "email", "consent"):
                self.errors.pop(name, None)
            if typed:
                # Without JavaScript the fields show also to an anonymous reporter: what was
                # typed is neither dropped unseen nor sent against the choice. The reporter
                # decides, and the typed text stays in the fields.
                self.add_error(
                    "contact",
                    _(
                        "You chose to stay anonymous, but you filled in contact details. "
                        "Choose “Yes” to send them, or empty those fields to stay anonymous."
                    ),
                )
                return cleaned
            # The wishes of someone who stays anonymous say nothing: they are not kept.
            for name in self.WISHES:
                self.errors.pop(name, None)
            return {
                "contact": "anonymous",
                "name": "",
                "phone": "",
                "email": "",
                "consent": False,
                "interpreter": cleaned.get("interpreter", ""),
                "interpreter_language": cleaned.get("interpreter_language", ""),
            }
        given = cleaned.get("phone") or cleaned.get("email")
        if not given and not (self.has_error("phone") or self.has_error("email")):
            self.add_error(
                "phone",
                _("Give a phone number or an e-mail address, or choose to stay anonymous."),
            )
        channel = cleaned.get("contact_channel")
        needed = "email" if channel == ContactWishes.Channel.EMAIL else "phone"
        if given and channel and not cleaned.get(needed) and not self.has_error(needed):
            self.add_error(
                needed,
                _("Give the phone number or e-mail address for the way you chose to be contacted."),
            )
        if not cleaned.get("consent"):
            self.add_error("consent", _("Tick this box if we may contact you."))
        return cleaned

    @classmethod
    def describe(cls, answers, *, about_me=False):
        interpreter = cls.describe_interpreter(answers)
        if answers.get("contact") != "contact":
            return [(_("Contact"), _("Anonymous")), interpreter]
        wish = _("Call me back in my language") if about_me else _("You may be contacted")
        rows = [(_("Contact"), wish)]
        for key, label in (("name", _("Name")), ("phone", _("Phone")), ("email", _("E-mail"))):
            if answers.get(key):
                rows.append((label, answers[key]))
        fields = cls.base_fields
        for name in cls.WISHES:
            value = answers.get(name)
            if value:
                choices = dict(fields[name].choices)
                shown = [
                    choices.get(item, item)
                    for item in (value if isinstance(value, list) else [value])
                ]
                rows.append((fields[name].label, ", ".join(str(item) for item in shown)))
        return [*rows, interpreter]

    @classmethod
    def report_values(cls, answers):
        values = {}
        how = answers.get("interpreter", "")
        asked = how in InterpreterRequest.Mode.values
        if asked:
            values = {
                "interpreter_mode": how,
                "interpreter_language": answers.get("interpreter_language", ""),
            }
        if answers.get("contact") != "contact":
            return values
        return {
            **values,
            "contact_name": answers.get("name", ""),
            "contact_phone": answers.get("phone", ""),
            "contact_email": answers.get("email", ""),
            "contact_channel": answers.get("contact_channel", ""),
            "contact_times": list(answers.get("contact_times", [])),
            "contact_voicemail": _AS_BOOLEAN.get(answers.get("contact_voicemail")),
            "contact_sms": _AS_BOOLEAN.get(answers.get("contact_sms")),
            "contact_language": answers.get("contact_language", ""),
            # Asked once, by the interpreter question every reporter sees; skipped: not said.
            "contact_interpreter": asked if how else None,
        }


class CheckForm(PublicForm):
    """The last step: the summary and the Send button. While the national desk's flood measures
    are on, a sum only a person answers comes with it: plain text, no script, nothing from
    elsewhere, in the reporter's language (`challenge`: the two numbers)."""

    def __init__(self, *args, challenge: tuple[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        if challenge is not None:
            first, second = challenge
            self.fields["challenge"] = forms.CharField(
                label=_(
                    "To show that you are a person: how much is %(first)d plus %(second)d? "
                    "Write the answer in digits."
                )
                % {"first": first, "second": second},
                max_length=10,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                error_messages={"required": _("That is not the right answer. Try again.")},
            )

    def clean_challenge(self) -> str:
        answer = self.cleaned_data["challenge"].strip()
        if answer != str(sum(self.challenge)):
            raise ValidationError(_("That is not the right answer. Try again."), code="challenge")
        return answer

    def answers(self):
        return {}


class ReceiptCodeForm(PublicForm):
    code = forms.CharField(
        label=_("Your receipt code"),
        help_text=_("For example 7KQ4-M2XD-9PRA-T6WB. Small letters and spaces are fine."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Type your receipt code.")},
    )


def clean_files(
    files: list,
    *,
    kept: int = 0,
    keep_metadata: bool = False,
    may_decode: Callable[[int], bool] | None = None,
) -> tuple[list[uploads.CleanFile], list[ValidationError]]:
    """The files accepted by the upload pipeline (intake.uploads.clean_upload), at most MAX_FILES
    with the `kept` ones, and a problem for each one refused: good files are kept even when
    another one is refused."""
    accepted, problems = [], []
    for position, uploaded in enumerate(files):
        if kept + position >= uploads.MAX_FILES:
            problems.append(
                ValidationError(
                    _("You can add at most 3 files. “%(name)s” was not added."),
                    params={"name": uploads.visible_name(uploaded.name)},
                )
            )
            continue
        try:
            accepted.append(
                uploads.clean_upload(uploaded, keep_metadata=keep_metadata, may_decode=may_decode)
            )
        except ValidationError as problem:
            problems.append(problem)
    return accepted, problems


class ReceiptConfirmForm(PublicForm):
    """The last thing a reporter does: type the end of the code, to show it was saved."""

    last_four = forms.CharField(
        label=_("To finish, type the last four characters of your code"),
        help_text=_(
            "This shows that you saved it. The code cannot be recovered: if you lose it, "
            "nobody can give it to you again."
        ),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Type the last four characters of your code.")},
    )

    def __init__(self, *args, code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.code = code

    def clean_last_four(self) -> str:
        typed = self.cleaned_data["last_four"]
        if not receipts.confirms(self.code, typed):
            raise ValidationError(
                _(
                    "These are not the last four characters of your code. Look at your code "
                    "and try again."
                ),
                code="not_confirmed",
            )
        return typed


class ReplyForm(PublicForm):
    """A message on the follow-up page: words, files (photos or documents, through the same
    checks as the report's), or both; also the answer to a coordinator's question."""

    body = forms.CharField(
        label=_("Your message"),
        help_text=_(
            "Add information or answer a question. "
            "Do not write your name if you want to stay anonymous."
        ),
        max_length=Message.BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    files = MultipleFileField(
        label=_("Photos or documents (optional)"),
        help_text=PhotosForm.base_fields["files"].help_text,
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    keep_metadata = forms.BooleanField(
        label=PhotosForm.base_fields["keep_metadata"].label, required=False
    )
    # The public id of the coordinator's question this answers, if it answers one.
    question = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, may_decode: Callable[[int], bool] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_decode = may_decode
        self.accepted: list[uploads.CleanFile] = []

    def clean(self):
        cleaned = super().clean()
        files = cleaned.get("files") or []
        self.accepted, problems = clean_files(
            files, keep_metadata=bool(cleaned.get("keep_metadata")), may_decode=self.may_decode
        )
        if problems:
            # Nothing is sent while a file is refused: the reporter sees which, and why, with
            # their words kept, and sends again.
            self.add_error("files", problems)
        elif not (cleaned.get("body") or "").strip() and not files:
            self.add_error("body", _("Write a message or add a file first."))
        return cleaned


class QuickReplyForm(PublicForm):
    """A quick reply: yes, no, I don't know, a time to call or a phone number. The coordinator
    reads it in Dutch."""

    reply = forms.ChoiceField(
        choices=[
            *Reply.ANSWERS,
            (Reply.CALL_TIME, Reply.LABELS[Reply.CALL_TIME]),
            (Reply.PHONE, Reply.LABELS[Reply.PHONE]),
        ]
    )
    call_time = forms.ChoiceField(
        label=_("A good time to call you"), choices=CALL_TIMES, required=False
    )
    phone = forms.CharField(
        label=_("A phone number that is safe to call"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    question = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        reply = cleaned.get("reply")
        cleaned["value"] = ""
        if reply == Reply.CALL_TIME:
            if not cleaned.get("call_time"):
                self.add_error("call_time", _("Choose a time."))
            cleaned["value"] = cleaned.get("call_time", "")
        elif reply == Reply.PHONE:
            raw = (cleaned.get("phone") or "").strip()
            if not raw:
                self.add_error("phone", _("Type the phone number."))
            else:
                try:
                    cleaned["value"] = identifiers.normalise_phone(raw)
                except ValidationError:
                    self.add_error(
                        "phone",
                        ValidationError(
                            _(
                                "This is not a phone number we can use. Numbers from outside "
                                "the Netherlands start with + and the country code."
                            ),
                            code="invalid_phone",
                        ),
                    )
        return cleaned


class InterpreterForm(InterpreterFields, PublicForm):
    """Asking for an interpreter on the follow-up page: how is required there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["interpreter"]
        field.label = _("Ask for an interpreter")
        field.choices = INTERPRETER_CHOICES[1:]
        field.required = True
        field.error_messages["required"] = _("Choose by phone or in person.")


class NewsNoticeForm(PublicForm):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_(
            "Give an address that nobody else reads. The e-mail says only that there is news "
            "for you, nothing about your report."
        ),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Type your e-mail address.")},
    )

    def clean_email(self) -> str:
        return identifiers.normalise_email(self.cleaned_data["email"])
