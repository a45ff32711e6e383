from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import FixedPeriod, default_period, published_periods


class PeriodForm(forms.Form):
    """A calendar month, quarter or year that has ended: the only periods the monitor shows."""

    period = forms.ChoiceField(label=_("Period"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (period.key, str(period)) for period in published_periods()
        ]

    def chosen(self) -> FixedPeriod:
        if self.is_valid():
            return FixedPeriod.from_key(self.cleaned_data["period"])
        return default_period()
