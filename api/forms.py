from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership
from organisations.services import check_roles_fit

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

    def clean(self):
        """A key is a member of its organisation (api.services.create_api_key): its roles must
        be ones that the organisation's kind has, as for every member."""
        cleaned = super().clean()
        organisation, roles = cleaned.get("organisation"), cleaned.get("roles")
        if organisation is not None and roles:
            try:
                check_roles_fit(organisation, roles=roles)
            except ValidationError as misfit:
                self.add_error("roles", misfit)
        return cleaned
