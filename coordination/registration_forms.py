from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from signals.models import Signal

from .models import Registration
from .registration_selectors import possible_victims


class RegistrationForm(forms.ModelForm):
    """Register a (possible) victim with CoMensha: what CoMensha counts, started from the case."""

    class Meta:
        model = Registration
        fields = [
            "person",
            "form",
            "sector",
            "nationality",
            "age_group",
            "gender",
            "reporter_kind",
            "region",
            "reported_on",
            "legal_basis",
        ]
        widgets = {"reported_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, signal: Signal, **kwargs):
        # Its own ids: the case page also shows the share form, with a legal basis of its own.
        kwargs.setdefault("auto_id", "id_registration_%s")
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.queryset = possible_victims(signal)
        person.empty_label = _("Not named in the signal")
        person.label_from_instance = lambda p: (
            p.name or _("Possible victim %(number)d") % {"number": p.order + 1}
        )
        self.fields["region"].queryset = Region.objects.filter(is_active=True).order_by("name")
        self.fields["nationality"].help_text = _("Leave empty when it is not known.")


class RegistrationFilterForm(forms.Form):
    since = forms.DateField(
        label=_("Reported from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Reported until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The first date must not be after the second."))
        return cleaned
