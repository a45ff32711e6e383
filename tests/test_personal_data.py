"""The personal data of the schema (privacy.personal_data): every encrypted field of every model
whose rows belong to a signal, which retention and erasure both clear."""

import pytest
from django.apps import apps

from meldpunt.core.fields import EncryptedMixin
from privacy.personal_data import personal_data_fields
from signals.models import Signal
from tests.factories import SignalFactory


def _leads_to_signal(model, seen=frozenset()) -> bool:
    """Whether a chain of foreign keys leads from `model`'s rows to a signal."""
    model = model._meta.concrete_model
    if model is Signal:
        return True
    return any(
        _leads_to_signal(field.related_model, seen | {model})
        for field in model._meta.concrete_fields
        if (field.many_to_one or field.one_to_one) and field.related_model not in seen
    )


def test_every_encrypted_field_of_a_signal_and_its_rows_is_personal_data():
    """Fails when a model with an encrypted field and a way to a signal is left out: retention
    and erasure would then leave its text behind."""
    encrypted = {
        (model._meta.concrete_model, field.name)
        for model in apps.get_models()
        if _leads_to_signal(model)
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedMixin)
    }
    covered = {
        (personal.model, field.name)
        for personal in personal_data_fields()
        for field in personal.fields
    }
    assert encrypted - covered == set()
    assert len(encrypted) > 20  # the comparison is not of two empty sets


@pytest.mark.django_db
def test_each_model_s_rows_are_found_from_their_signal():
    signal = SignalFactory()
    for personal in personal_data_fields():
        assert personal.rows(signal).count() == (personal.model is Signal), personal.model
