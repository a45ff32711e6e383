from django import forms
from django.utils.translation import gettext_lazy as _

from access.models import Share
from organisations.models import Organisation

from .models import CaseConference, ConferenceAction

# Actions a conference can record at once: enough for a table's agreements, few enough to read.
MAX_ACTIONS = 5


class ConferenceForm(forms.Form):
    """A case conference (signaaltafel): who was at the table, on which legal basis, what was
    decided, and up to MAX_ACTIONS actions with their owner and date."""

    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"),
        queryset=Organisation.objects.order_by("name"),
        help_text=_("Only these organisations see this record. Your own is always among them."),
    )
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=Share.LegalBasis.choices)
    decisions = forms.CharField(
        label=_("Decisions"),
        max_length=CaseConference.DECISIONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_ACTIONS + 1):
            self.fields[f"action_{number}"] = forms.CharField(
                label=_("Action %(number)d") % {"number": number},
                max_length=ConferenceAction.DESCRIPTION_MAX_LENGTH,
                required=False,
            )
            self.fields[f"owner_{number}"] = forms.ModelChoiceField(
                label=_("Owner of action %(number)d") % {"number": number},
                queryset=Organisation.objects.order_by("name"),
                required=False,
            )
            self.fields[f"due_{number}"] = forms.DateField(
                label=_("Due date of action %(number)d") % {"number": number},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def clean(self):
        cleaned = super().clean()
        for number in range(1, MAX_ACTIONS + 1):
            given = [cleaned.get(f"{name}_{number}") for name in ("action", "owner", "due")]
            if any(given) and not all(given):
                self.add_error(
                    f"action_{number}",
                    _("An action needs what, an owner and a due date."),
                )
        return cleaned

    def actions(self) -> list[tuple]:
        return [
            (
                self.cleaned_data[f"action_{number}"],
                self.cleaned_data[f"owner_{number}"],
                self.cleaned_data[f"due_{number}"],
            )
            for number in range(1, MAX_ACTIONS + 1)
            if self.cleaned_data.get(f"action_{number}")
        ]
