from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .selectors import Period


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start must come before the end."))
        return data

    def period(self) -> Period:
        if self.is_valid():
            return Period(self.cleaned_data["start"], self.cleaned_data["end"])
        return default_period()


def default_period() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=365), today)
