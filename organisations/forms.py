from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation, roles_for_kind


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=Membership.Role.choices, label=_("Roles"), **kwargs)


class _OrganisationRolesForm(forms.Form):
    """Offers only the roles that an organisation of its kind can hold (`roles_for_kind`)."""

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        fitting = roles_for_kind(organisation.kind)
        self.fields["roles"].choices = [
            (value, label) for value, label in Membership.Role.choices if value in fitting
        ]


class InviteForm(_OrganisationRolesForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    roles = RolesField(initial=[Membership.Role.PROFESSIONAL])

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class RolesForm(_OrganisationRolesForm):
    roles = RolesField()


class NewPasswordForm(forms.Form):
    """Choose a password when accepting an invitation."""

    password1 = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password2(self) -> str:
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data["password2"]
        if password1 and password1 != password2:
            raise forms.ValidationError(_("The two passwords differ."), code="password_mismatch")
        password_validation.validate_password(password2, self.user)
        return password2
