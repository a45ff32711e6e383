from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership

from .models import ApiKey


class ApiKeyForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system uses the key, e.g. “case system”."),
    )
    scope = forms.ChoiceField(
        label=_("What the key may do"), choices=ApiKey.Scope.choices, initial=ApiKey.Scope.READ
    )
    roles = forms.MultipleChoiceField(
        label=_("Acts as"),
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (Membership.Role.PROFESSIONAL, Membership.Role.PROFESSIONAL.label),
            (Membership.Role.COORDINATOR, Membership.Role.COORDINATOR.label),
        ],
        initial=[Membership.Role.PROFESSIONAL],
        help_text=_("The key sees and does what a member with these roles may."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
