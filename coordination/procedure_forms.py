"""The case page's forms for the procedures (signals.models.procedures): each holds the whole
state of one procedure, filled in with what was recorded, so a change is made where it shows."""

from django import forms
from django.utils.translation import gettext_lazy as _

from signals.models import ReflectionPeriod, ReportingDecision, ResidenceApplication
from signals.models.procedures import FEEDBACK_MAX_LENGTH


def _date(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReflectionPeriodForm(forms.Form):
    prefix = "reflection"
    offered_by = forms.ChoiceField(label=_("Offered by"), choices=ReflectionPeriod.OfferedBy)
    starts_on = _date(_("Reflection period offered from"))
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ReflectionPeriod.Outcome.choices, required=False
    )
    outcome_on = _date(_("Date of the outcome"), required=False)
    b8_follows = forms.BooleanField(label=_("A B8/3 residence application follows"), required=False)


class ResidenceApplicationForm(forms.Form):
    prefix = "b8"
    applied_on = _date(_("B8/3 application made on"))
    outcome = forms.ChoiceField(
        label=_("Decision of the IND"),
        choices=ResidenceApplication.Outcome.choices,
        required=False,
    )
    decided_on = _date(_("Date of the decision"), required=False)


class ReportingDecisionForm(forms.Form):
    prefix = "aangifte"
    decision = forms.ChoiceField(
        label=_("Does the possible victim report to the police (aangifte)?"),
        choices=ReportingDecision.Decision.choices,
    )
    decided_on = _date(_("Date of the decision"), required=False)


class PoliceHandoverForm(forms.Form):
    prefix = "handover"
    handed_over_on = _date(_("Handed over to the police on"))
    feedback = forms.CharField(
        label=_("Feedback from the police"),
        max_length=FEEDBACK_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    feedback_on = _date(_("Feedback received on"), required=False)


def _initial(row, fields: list[str]) -> dict:
    return {name: getattr(row, name) for name in fields} if row is not None else {}


def procedure_forms(procedures) -> dict[str, forms.Form]:
    """The four forms for the case page, filled in with what `procedures` recorded."""
    reflection = procedures.reflection.period if procedures.reflection is not None else None
    return {
        "reflection_form": ReflectionPeriodForm(
            initial=_initial(
                reflection, ["offered_by", "starts_on", "outcome", "outcome_on", "b8_follows"]
            )
        ),
        "b8_form": ResidenceApplicationForm(
            initial=_initial(
                procedures.residence_application, ["applied_on", "outcome", "decided_on"]
            )
        ),
        "aangifte_form": ReportingDecisionForm(
            initial=_initial(procedures.reporting_decision, ["decision", "decided_on"])
        ),
        "handover_form": PoliceHandoverForm(
            initial=_initial(
                procedures.police_handover, ["handed_over_on", "feedback", "feedback_on"]
            )
        ),
    }
