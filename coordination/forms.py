from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from access.models import Share
from organisations.models import Organisation
from regions.models import Region
from signals.models import ExploitationForm, Message, Question, RetentionHold, Signal, SignalEvent

from . import phrasebook, workflow
from .models import NOTE_MAX_LENGTH
from .selectors import AmbiguousReference, QueueFilters, triageable_signal_by_reference


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All open")), *Signal.Status.choices]
    )
    form = forms.ModelChoiceField(
        label=_("Form of exploitation"),
        required=False,
        queryset=ExploitationForm.objects.all(),
        empty_label=_("All forms"),
    )
    minor = forms.BooleanField(label=_("Minor involved"), required=False)
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Assigned to me")), ("nobody", _("Unassigned"))],
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources")), *Signal.Source.choices]
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_(
            "Whole words from the description, a reference, the submitter's case number, or a "
            "phone number, e-mail address, licence plate, IBAN or website in any notation."
        ),
    )
    merged = forms.BooleanField(label=_("Merged duplicates only"), required=False)
    unread = forms.BooleanField(label=_("Unread only"), required=False)
    reflection = forms.BooleanField(
        label=_("Reflection period ends within 14 days"), required=False
    )

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(
            status=data["status"],
            form=data["form"].pk if data["form"] else None,
            minor=data["minor"],
            urgent=data["urgent"],
            overdue=data["overdue"],
            assigned=data["assigned"],
            source=data["source"],
            query=data["q"].strip(),
            merged=data["merged"],
            unread=data["unread"],
            reflection_ends_soon=data["reflection"],
        )


def _against_wishes_field() -> forms.CharField:
    return forms.CharField(
        label=_("Why you act against the possible victim's wish"),
        help_text=_(
            "Needed only when they do not want the police or the immigration authorities "
            "involved, and no minor is involved and nobody is in danger now."
        ),
        max_length=SignalEvent.REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=())
    reason = forms.CharField(
        label=_("Why"),
        max_length=SignalEvent.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    against_wishes_reason = _against_wishes_field()

    def __init__(self, *args, signal: Signal, **kwargs):
        super().__init__(*args, **kwargs)
        moves = workflow.allowed_moves(signal.status)
        self.fields["to_status"].choices = [(move, Signal.Status(move).label) for move in moves]
        # The share form on the same page has a field of this name too: ids must stay unique.
        self.fields["against_wishes_reason"].widget.attrs["id"] = "id_move_against_wishes_reason"


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=None, required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues


class NoteForm(forms.Form):
    prefix = "note"  # the case page holds several forms; field ids must stay unique
    body = forms.CharField(
        label=_("Internal note"),
        help_text=_("Only your own organisation sees internal notes."),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransferForm(forms.Form):
    prefix = "transfer"
    region = forms.ModelChoiceField(label=_("Transfer to region"), queryset=Region.objects.all())
    reason = forms.CharField(
        label=_("Why"),
        max_length=SignalEvent.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, signal: Signal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.exclude(pk=signal.region_id).order_by(
            "kind", "name"
        )


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Share with organisation"),
        # Only what the options show: every organisation is listed on every case page.
        queryset=Organisation.objects.only("pk", "name").order_by("name"),
    )
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=Share.LegalBasis.choices)
    purpose = forms.CharField(label=_("Purpose"), max_length=Share.PURPOSE_MAX_LENGTH)
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    against_wishes_reason = _against_wishes_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit itself is the service's (share_with_organisation); here it is told and hinted.
        today = timezone.localdate()
        field = self.fields["ends_on"]
        field.help_text = _("At most %(days)d days from today.") % {"days": settings.SHARE_MAX_DAYS}
        field.widget.attrs.update(
            {
                "min": today.isoformat(),
                "max": (today + timedelta(days=settings.SHARE_MAX_DAYS)).isoformat(),
            }
        )


# The coordinator's words for the phrasebook's groups and expected answers.
PHRASE_GROUPS = {
    "safety": _("Safety"),
    "contact": _("Contact"),
    "situation": _("The situation"),
    "help": _("Help and what happens next"),
}
EXPECTED_ANSWERS = [
    (phrasebook.Expects.NOTHING, _("No answer needed")),
    (phrasebook.Expects.TEXT, _("An answer in words")),
    (phrasebook.Expects.YES_NO, _("Yes or no")),
    (phrasebook.Expects.PHOTO, _("A photo or document")),
]
VOCABULARY_NAMES = {
    "topic": _("Topic"),
    "item": _("Photo or copy of"),
    "organisation": _("Passed on to"),
}


def _in_coordinator_language(choices):
    """Choices whose labels are phrasebook texts, in the language coordinators read them in."""
    with translation.override(phrasebook.COORDINATOR_LANGUAGE):
        return [(value, str(label)) for value, label in choices]


class ReporterMessageForm(forms.Form):
    """A message to the reporter: a standard phrase (the reporter reads it in their language),
    a line of free text, or both; asking for an answer makes it a structured question."""

    prefix = "message"
    # The phrases and words are offered in Dutch, marked so whatever the page's language.
    phrase = forms.ChoiceField(
        label=_("Standard phrase"),
        help_text=_("The reporter reads it in the language of their report."),
        required=False,
        widget=forms.Select(attrs={"lang": phrasebook.COORDINATOR_LANGUAGE}),
    )
    word = forms.ChoiceField(
        label=_("Word for the phrase"),
        help_text=_("Only for a phrase that ends in a colon: what it is about."),
        required=False,
        widget=forms.Select(attrs={"lang": phrasebook.COORDINATOR_LANGUAGE}),
    )
    body = forms.CharField(
        label=_("Message to the reporter"),
        help_text=_(
            "Optional beside a standard phrase. The reporter reads it with their receipt code; "
            "write in plain words. With machine translation on, they also get it translated."
        ),
        max_length=Message.BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The language of the free text: the writer's, so Dutch unless the coordinator says not.
    language = forms.ChoiceField(
        label=_("Written in"), choices=settings.LANGUAGES, initial=phrasebook.COORDINATOR_LANGUAGE
    )
    expects = forms.ChoiceField(
        label=_("Answer asked for"), choices=EXPECTED_ANSWERS, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phrase"].choices = [
            ("", _("— no standard phrase —")),
            *[
                (PHRASE_GROUPS[group], _in_coordinator_language((p.code, p.text) for p in items))
                for group, items in phrasebook.GROUPS
            ],
        ]
        self.fields["word"].choices = [
            ("", "—"),
            *[
                (
                    VOCABULARY_NAMES[name],
                    _in_coordinator_language(
                        (f"{name}:{code}", text) for code, text in words.items()
                    ),
                )
                for name, words in phrasebook.VOCABULARIES.items()
            ],
        ]

    def clean(self):
        cleaned = super().clean()
        word = cleaned.get("word") or ""
        name, _colon, code = word.partition(":")
        cleaned["phrase_params"] = {name: code} if word else {}
        return cleaned


class QuestionForm(forms.Form):
    prefix = "question"
    text = forms.CharField(
        label=_("Question to the submitting organisation"),
        max_length=Question.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=Question.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    """Mark another signal as a duplicate of this one, by its reference."""

    prefix = "merge"
    reference = forms.CharField(
        label=_("Reference of the duplicate"),
        help_text=_(
            "The reference shown on its case page (at least the first 8 characters), "
            "or pick a connected signal."
        ),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "merge-candidates", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Why is it the same situation"),
        max_length=SignalEvent.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_reference(self) -> Signal:
        try:
            signal = triageable_signal_by_reference(self.user, self.cleaned_data["reference"])
        except AmbiguousReference:
            raise forms.ValidationError(
                _("More than one signal starts with this reference; give more characters."),
                code="ambiguous",
            ) from None
        if signal is None:
            raise forms.ValidationError(
                _("There is no signal with this reference that you may handle."),
                code="not_found",
            )
        return signal


class SplitForm(forms.Form):
    prefix = "split"
    reason = forms.CharField(
        label=_("Why is it not the same situation"),
        max_length=SignalEvent.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RetentionHoldForm(forms.Form):
    prefix = "hold"
    reason = forms.CharField(
        label=_("Why keep it longer"),
        help_text=_("For example criminal proceedings, with their reference."),
        max_length=RetentionHold.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ends_on = forms.DateField(label=_("Keep until"), widget=forms.DateInput(attrs={"type": "date"}))
