"""Query filters of the signal list (django-filter)."""

from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from signals.models import Signal


class StrictFilterForm(forms.Form):
    """A parameter that is given must have one value: `?status=` or `?status=a&status=b` is
    refused, not ignored."""

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if name in self.data and not self.data.get(name):
                self.add_error(name, _("Give a value, or leave the parameter out."))
            elif len(self.data.getlist(name)) > 1:
                self.add_error(name, _("Give this parameter once."))
        return cleaned


class UtcDateTimeField(IsoDateTimeField):
    """PostgreSQL accepts offsets up to 15:59 only; in UTC any offset ISO 8601 allows works."""

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError) as error:
            raise ValidationError(_("This moment is out of range."), code="invalid") from error


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": 16})
class CodeFilter(django_filters.CharFilter):
    """A code (a region's, say): an empty value is refused (StrictFilterForm), and the schema says
    so, with the longest code there is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_length=16, **kwargs)


class SignalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Signal.Status.choices)
    source = django_filters.ChoiceFilter(choices=Signal.Source.choices)
    region = CodeFilter(field_name="region__code")
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Signal
        fields = ["status", "source", "region", "created_after", "created_before"]
        form = StrictFilterForm


class MunicipalityFilter(django_filters.FilterSet):
    region = CodeFilter(field_name="region__code")

    class Meta:
        form = StrictFilterForm
