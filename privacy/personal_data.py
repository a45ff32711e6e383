"""The personal data of the schema: every encrypted field of a signal and of each row that hangs
off it (its persons and their phone numbers, messages, questions, notes, history, placements, ...).

Encryption at rest is what marks a field as personal: a field of an `EncryptedMixin` type. The
rows are found by walking the schema from `Signal` along every reverse foreign key, and on from
each related model, so a model or field added later is covered by retention and erasure the day it
is added, without a list to keep up to date.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, reduce
from typing import Any

from django.db import models

from meldpunt.core.fields import DerivedMixin, EncryptedJSONField, EncryptedMixin
from signals.models import Signal


@dataclass(frozen=True)
class PersonalFields:
    """The personal fields of one model, and how its rows are found from their signal."""

    model: type[models.Model]
    # The lookup from a row to its signal's primary key, e.g. "person__signal" for a phone number.
    to_signal: str
    fields: tuple[models.Field, ...]

    def rows(self, signal: Signal) -> models.QuerySet:
        """The signal's rows of this model that still hold personal data."""
        holding = reduce(
            operator.or_, (~models.Q(**{field.name: empty(field)}) for field in self.fields)
        )
        return self.model._default_manager.filter(holding, **{self.to_signal: signal.pk})


def encrypted_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(
        field for field in model._meta.concrete_fields if isinstance(field, EncryptedMixin)
    )


def empty(field: models.Field) -> Any:
    """A personal field's value once cleared: stored empty, as every encrypted field stores it."""
    return {} if isinstance(field, EncryptedJSONField) else ""


def _related_models(
    model: type[models.Model], path: tuple[str, ...], seen: frozenset
) -> Iterator[tuple[type[models.Model], tuple[str, ...]]]:
    """Every model with a foreign key to `model` (hidden ones too), and on from each the models
    with a foreign key to it, with the foreign keys that lead from it to the signal."""
    for relation in model._meta.get_fields(include_hidden=True):
        reverse = relation.auto_created and not relation.concrete
        if not (reverse and (relation.one_to_many or relation.one_to_one)):
            continue
        related = relation.related_model
        # Another signal (a merged duplicate) is walked when its own turn comes.
        if related in seen:
            continue
        to_signal = (relation.field.name, *path)
        yield related, to_signal
        yield from _related_models(related, to_signal, seen | {related})


@cache
def personal_data_fields() -> tuple[PersonalFields, ...]:
    """The personal fields of the schema: of `Signal` itself first, then of each model related to
    it, with the way from its rows to their signal."""
    found = [PersonalFields(Signal, "pk", encrypted_fields(Signal))]
    for model, to_signal in _related_models(Signal, (), frozenset({Signal})):
        fields = encrypted_fields(model)
        if fields:
            found.append(PersonalFields(model, "__".join(to_signal), fields))
    return tuple(found)


def rewrite_personal_data(signal: Signal, rewrite: Callable[[models.Field, Any], Any]) -> None:
    """Give every personal field of the signal and of its related rows the value `rewrite` returns
    for it. The related rows are saved here, their blind indexes derived again from what they now
    hold; the signal itself is changed in memory only, for the caller (who holds its row lock) to
    save with the rest of its changes."""
    for personal in personal_data_fields():
        if personal.model is Signal:
            for field in personal.fields:
                setattr(signal, field.attname, rewrite(field, getattr(signal, field.attname)))
            continue
        derived = [
            f.attname for f in personal.model._meta.concrete_fields if isinstance(f, DerivedMixin)
        ]
        for row in personal.rows(signal):
            changed = []
            for field in personal.fields:
                before = getattr(row, field.attname)
                after = rewrite(field, before)
                if after != before:
                    setattr(row, field.attname, after)
                    changed.append(field.attname)
            if changed:
                row.save(update_fields=[*changed, *derived])


def clear_personal_data(signal: Signal) -> None:
    """Empty every personal field of the signal and of its related rows (see
    `rewrite_personal_data`: the caller saves the signal)."""
    rewrite_personal_data(signal, lambda field, value: empty(field))
