from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Membership


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=Membership.Role.choices, label=_("Roles"), **kwargs)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    roles = RolesField(initial=[Membership.Role.PROFESSIONAL])

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class RolesForm(forms.Form):
    roles = RolesField()
