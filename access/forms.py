from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class AccessLogFilterForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Member"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = User.objects.filter(
            memberships__organisation=organisation
        ).order_by("email")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
