"""Forms of the privacy officer's data-subject requests."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from access.roles import privacy_officer_organisations
from signals import receipts
from signals.identifiers import normalise_email, normalise_phone
from signals.models import NAME_MAX_LENGTH

from .selectors import SUBJECT_KINDS


class SubjectSearchForm(forms.Form):
    """Who is asked about (at least one identifier) and for which request."""

    PURPOSES = [
        ("AVG art. 15", _("Right of access (AVG art. 15)")),
        ("AVG art. 16", _("Right to rectification (AVG art. 16)")),
        ("AVG art. 17", _("Right to erasure (AVG art. 17)")),
        ("AVG art. 18", _("Right to restriction of processing (AVG art. 18)")),
        ("AVG art. 21", _("Right to object (AVG art. 21)")),
    ]

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        to_field_name="public_id",
        empty_label=None,
        help_text=_("The organisation whose data you search, as its privacy officer."),
    )
    reference = forms.CharField(
        label=_("Request reference"),
        max_length=100,
        help_text=_(
            "The number of the data-subject request in your own records. It goes into the "
            "access log: do not write the person's name here."
        ),
    )
    purpose = forms.ChoiceField(label=_("Kind of request"), choices=PURPOSES)
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=_("Found however it is written in capitals, accents or spaces, but in full."),
    )
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail address"), max_length=254, required=False)
    receipt_code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        required=False,
        help_text=_("The code a reporter received after reporting on the public form."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = privacy_officer_organisations(user)

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        return normalise_phone(raw) if raw else ""

    def clean_email(self) -> str:
        raw = self.cleaned_data["email"].strip()
        if not raw:
            return ""
        try:
            return normalise_email(raw)
        except ValidationError as error:
            raise ValidationError(_("Enter a valid e-mail address.")) from error

    def clean_receipt_code(self) -> str:
        raw = self.cleaned_data["receipt_code"].strip()
        if not raw:
            return ""
        code = receipts.normalise(raw)
        if code is None:
            raise ValidationError(
                _("A receipt code has 16 letters and digits, like 7KQ4-M2XD-9PRA-T6WB.")
            )
        return code

    def clean(self):
        cleaned = super().clean()
        if not self.kinds() and not any(self.has_error(kind) for kind in SUBJECT_KINDS):
            raise ValidationError(
                _("Give at least one of: name, phone number, e-mail address, receipt code.")
            )
        return cleaned

    def kinds(self) -> list[str]:
        """The kinds of identifier given, in a fixed order."""
        return [kind for kind in SUBJECT_KINDS if self.cleaned_data.get(kind)]

    def identifiers(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in self.kinds()}


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why the data is erased, e.g. the decision on the request. It goes into the access "
            "log: do not write the person's name here."
        ),
    )
