"""Forms for offers, free places, the overview filter, a person's needs and a decline reason."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from regions.models import Municipality, Region
from signals.models import ExploitationForm

from .matching import Needs
from .models import MAX_PLACES, Offer

AGE_CHOICES = [
    ("", _("Any age")),
    ("adult", _("Adult (18 or older)")),
    ("minor", _("Minor (under 18)")),
]


class OfferForm(forms.ModelForm):
    """A provider's offer. The region follows from the municipality (see services.save_offer)."""

    genders = forms.MultipleChoiceField(
        label=_("Genders accepted"),
        choices=Offer.Gender.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name")
    )

    class Meta:
        model = Offer
        fields = [
            "provider",
            "name",
            "kind",
            "municipality",
            "genders",
            "accepts_adults",
            "accepts_minors",
            "forms",
            "languages",
            "accepts_children",
            "wheelchair_access",
            "secure_address",
            "address",
            "total_places",
            "free_places",
            "is_active",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "forms": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["provider"].empty_label = None
        self.fields["free_places"].min_value = 0

    def clean(self):
        cleaned = super().clean()
        total, free = cleaned.get("total_places"), cleaned.get("free_places")
        if total is not None and free is not None and free > total:
            self.add_error("free_places", _("Free places cannot be more than the total places."))
        if not (cleaned.get("accepts_adults") or cleaned.get("accepts_minors")):
            self.add_error("accepts_minors", _("Choose adults, minors or both."))
        return cleaned


class FreePlacesForm(forms.Form):
    """One number on a phone: how many places are free now."""

    free_places = forms.IntegerField(label=_("Free places"), min_value=0, max_value=MAX_PLACES)

    def __init__(self, *args, offer: Offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.fields["free_places"].widget.attrs.update(
            {"inputmode": "numeric", "max": offer.total_places}
        )

    def clean_free_places(self):
        free = self.cleaned_data["free_places"]
        if free > self.offer.total_places:
            raise forms.ValidationError(
                _("This offer has %(total)d places in total; free places cannot be more."),
                params={"total": self.offer.total_places},
            )
        return free


class OverviewFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.filter(kind=Region.Kind.REGIONAL, is_active=True),
        required=False,
        empty_label=_("The whole country"),
    )
    form = forms.ModelChoiceField(
        label=_("Form of exploitation"),
        queryset=ExploitationForm.objects.all(),
        required=False,
        empty_label=_("Any form"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of offer"), choices=[("", _("Any kind")), *Offer.Kind.choices], required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("Any gender")), *Offer.Gender.choices], required=False
    )
    age = forms.ChoiceField(label=_("Age"), choices=AGE_CHOICES, required=False)

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "region": data.get("region"),
            "form": data.get("form"),
            "kind": data.get("kind", ""),
            "gender": data.get("gender", ""),
            "minors": {"minor": True, "adult": False}.get(data.get("age", "")),
        }


class NeedsForm(forms.Form):
    """What the person needs; every field may stay empty when it does not matter."""

    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("Not relevant")), *Offer.Gender.choices], required=False
    )
    age = forms.ChoiceField(label=_("Age"), choices=AGE_CHOICES, required=False)
    language = forms.ChoiceField(
        label=_("Language the person needs"),
        choices=[("", _("Any; an interpreter will do")), *settings.LANGUAGES],
        required=False,
    )
    form = forms.ModelChoiceField(
        label=_("Form of exploitation"),
        queryset=ExploitationForm.objects.all(),
        required=False,
        empty_label=_("Not relevant"),
        to_field_name="code",
    )
    kind = forms.ChoiceField(
        label=_("Kind of help"), choices=[("", _("Any kind")), *Offer.Kind.choices], required=False
    )
    with_children = forms.BooleanField(label=_("Comes with children"), required=False)
    wheelchair = forms.BooleanField(label=_("Needs wheelchair access"), required=False)
    secure_address = forms.BooleanField(label=_("Needs a secure address"), required=False)

    def needs(self) -> Needs:
        data = self.cleaned_data
        return Needs(
            gender=data.get("gender", ""),
            is_minor={"minor": True, "adult": False}.get(data.get("age", "")),
            language=data.get("language", ""),
            form=data["form"].code if data.get("form") else "",
            kind=data.get("kind", ""),
            with_children=data.get("with_children", False),
            wheelchair=data.get("wheelchair", False),
            secure_address=data.get("secure_address", False),
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        help_text=_("Say why, without names or other personal details."),
    )
